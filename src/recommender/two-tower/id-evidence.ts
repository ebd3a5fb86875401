/**
 * How far to trust an item's id embedding: n / (n + prior) for an item with n positives in the
 * training window. An id row learned from one or two clicks mostly memorises them, so the item
 * towers lean on content (tags, creator) until the clicks add up; an item never clicked in the
 * window, including one uploaded since, is represented by content alone.
 */
export class IdEvidence {
  private weightsById = new Float32Array(0);

  constructor(readonly prior: number) {
    if (!(prior >= 0)) throw new RangeError(`IdEvidence: prior must be 0 or more, got ${prior}`);
  }

  /** Re-counts from the positives of a retrain. */
  update(itemIds: Int32Array, catalogSize: number): void {
    const counts = new Float32Array(catalogSize);
    for (const item of itemIds) counts[item]++;
    for (let i = 0; i < catalogSize; i++) counts[i] = this.prior === 0 ? 1 : counts[i] / (counts[i] + this.prior);
    this.weightsById = counts;
  }

  /** Each item's weight, by id (as of the last update). */
  get weights(): Float32Array {
    return this.weightsById;
  }

  /** Takes another copy's weights (from its `weights`), e.g. updated on another thread. */
  adopt(weights: Float32Array): void {
    this.weightsById = Float32Array.from(weights);
  }

  weight(itemId: number): number {
    if (this.prior === 0) return 1;
    return itemId < this.weightsById.length ? this.weightsById[itemId] : 0;
  }
}
