/**
 * Arrays kept one per user or item, handed out as views of larger blocks: a typed array of its own
 * has its own backing store (or, small, lives in the heap until anything reads its buffer), an
 * allocation the collector tracks and sweeps and a checkpoint writes apart; at 100k users and 200k
 * items a few of those each added up to hundreds of thousands.
 */
export class BlockSlices<T extends Float32Array | Float64Array | Int32Array> {
  /** Elements handed out of the current block (a full block's: the first take allocates one). */
  private used: number;

  /**
   * `block`: an empty array of the type to hand out (the blocks are made like it); `length`: the
   * longest array handed out, `perBlock` of which fill a block.
   */
  constructor(
    private block: T,
    readonly length: number,
    private readonly perBlock = 4096,
  ) {
    this.used = length * perBlock;
  }

  /** A new zero-filled array of `length` (at most the longest), sharing a block with its neighbours. */
  take(length = this.length): T {
    if (!(Number.isInteger(length) && length >= 0 && length <= this.length)) throw new RangeError(`BlockSlices: an array of ${length}, at most ${this.length}`);
    if (this.used + length > this.length * this.perBlock) {
      // The type from the block itself: a checkpoint walks this object's fields, and cannot save a constructor.
      this.block = new (this.block.constructor as new (length: number) => T)(this.length * this.perBlock);
      this.used = 0;
    }
    const start = this.used;
    this.used += length;
    return this.block.subarray(start, start + length) as T;
  }
}
