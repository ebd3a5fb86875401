/**
 * One item's true topics at a time, for metrics that read them at every impression: from the
 * world's packed records where the view has them (a slate's records are in cache after the
 * world's reaction to it), else from `itemTopics`. Either way the same ids and weights.
 */
import type { WorldView } from './types.js';
import { TAG_COUNT, TOPIC_IDS } from '../world/truth-rows.js';

export class ItemTopics {
  /** The last item read: its topic ids and weights, heaviest first, in [0, count). */
  ids = new Int32Array(4);
  weights = new Float64Array(4);
  count = 0;

  constructor(private readonly world: WorldView) {
    const most = world.topicRows?.maxTags ?? 0;
    if (most > this.ids.length) {
      this.ids = new Int32Array(most);
      this.weights = new Float64Array(most);
    }
  }

  /** Reads the item's topics into ids, weights and count; returns count. */
  read(itemId: number): number {
    const rows = this.world.topicRows;
    if (rows) {
      const v = rows.values;
      const o = itemId * rows.width;
      const count = itemId >= 0 && o < v.length ? v[o + TAG_COUNT] : 0;
      if (count === 0 && !(itemId >= 0 && itemId < this.world.itemCount())) throw new RangeError(`unknown item ${itemId}`);
      for (let j = 0; j < count; j++) {
        this.ids[j] = v[o + TOPIC_IDS + j];
        this.weights[j] = v[o + rows.weightsAt + j];
      }
      return (this.count = count);
    }
    const { ids, weights } = this.world.itemTopics(itemId);
    if (ids.length > this.ids.length) {
      this.ids = new Int32Array(ids.length);
      this.weights = new Float64Array(ids.length);
    }
    for (let j = 0; j < ids.length; j++) {
      this.ids[j] = ids[j];
      this.weights[j] = weights[j];
    }
    return (this.count = ids.length);
  }
}
