/**
 * The read-only ground truth the experimenter's instruments (metrics) may read. Declared by the
 * world, which provides it; metrics import it from here, so the world knows nothing of metrics.
 */
import type { TruthRows } from './truth-rows.js';

export interface WorldView {
  readonly topics: number;
  itemCount(): number;
  userCount(): number;
  /** True topic mixture of an item: ids and weights, heaviest first. */
  itemTopics(itemId: number): { readonly ids: ArrayLike<number>; readonly weights: ArrayLike<number> };
  /**
   * The same mixtures packed one record an item (truth-rows.ts), where the world has them: a
   * metric that reads every impression's topics finds there, in cache, the records the slate's
   * reaction has just read (metrics/item-topics.ts reads either).
   */
  readonly topicRows?: TruthRows;
  itemUploadTime(itemId: number): number;
  /** True quality of an item in [0, 1] (clickbait items have low quality and high appeal). */
  itemQuality(itemId: number): number;
  /** The creator of an item (ids dense from 0, below creatorCount). */
  itemCreator(itemId: number): number;
  /** Creators so far, those who joined during the run included (it grows as they join). */
  readonly creatorCount: number;
  /**
   * The day a creator joined; −Infinity for the starting catalog's creators. Truth of the
   * world's: the recommender sees only items' creator ids and upload times.
   */
  creatorJoinTime(creatorId: number): number;
  /** True topic preferences of a user (live; copy if you need a snapshot). */
  userTopicPrefs(userId: number): ArrayLike<number>;
  userSignupTime(userId: number): number;
}
