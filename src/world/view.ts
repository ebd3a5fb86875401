/**
 * The read-only ground truth the experimenter's instruments (metrics) may read. Declared by the
 * world, which provides it; metrics import it from here, so the world knows nothing of metrics.
 */
export interface WorldView {
  readonly topics: number;
  itemCount(): number;
  userCount(): number;
  /** True topic mixture of an item: ids and weights, heaviest first. */
  itemTopics(itemId: number): { readonly ids: ArrayLike<number>; readonly weights: ArrayLike<number> };
  itemUploadTime(itemId: number): number;
  /** True quality of an item in [0, 1] (clickbait items have low quality and high appeal). */
  itemQuality(itemId: number): number;
  /** The creator of an item (ids dense from 0, below creatorCount). */
  itemCreator(itemId: number): number;
  readonly creatorCount: number;
  /** True topic preferences of a user (live; copy if you need a snapshot). */
  userTopicPrefs(userId: number): ArrayLike<number>;
  userSignupTime(userId: number): number;
}
