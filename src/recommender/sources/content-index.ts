/**
 * Inverted indexes tag → items and creator → items over an append-only catalog, grown
 * incrementally: `sync()` indexes only the ids added since the last call, so a brand-new
 * upload is findable by the next request without any retraining.
 *
 * Posting lists are kept in upload order (each batch of new ids is sorted by upload time
 * before it is appended), so the newest items of a list are its tail. The initial catalog is
 * created in random upload order and later uploads arrive in time order, so in practice every
 * list is fully sorted; if a later batch ever held an older item, the list would only be
 * slightly out of order, which costs recall of "newest", never correctness.
 */
import type { PublicCatalog } from '../../world/public.js';

const EMPTY: readonly number[] = [];

export class ContentIndex {
  private readonly byTag = new Map<number, number[]>();
  private readonly byCreator = new Map<number, number[]>();
  private indexed = 0;

  constructor(private readonly catalog: PublicCatalog) {}

  /** Items indexed so far (ids 0 .. indexed-1). */
  get size(): number {
    return this.indexed;
  }

  /** Indexes the items added to the catalog since the last call; O(new items). */
  sync(): void {
    const size = this.catalog.size;
    if (size === this.indexed) return;
    const added: number[] = [];
    for (let id = this.indexed; id < size; id++) added.push(id);
    added.sort((a, b) => this.catalog.get(a).uploadTime - this.catalog.get(b).uploadTime || a - b);
    for (const id of added) {
      const item = this.catalog.get(id);
      for (const tag of item.topics) append(this.byTag, tag, id);
      append(this.byCreator, item.creatorId, id);
    }
    this.indexed = size;
  }

  /** Items carrying the tag, oldest upload first (read from the end for the newest). */
  withTag(tag: number): readonly number[] {
    return this.byTag.get(tag) ?? EMPTY;
  }

  /** Items by the creator, oldest upload first. */
  byCreatorId(creatorId: number): readonly number[] {
    return this.byCreator.get(creatorId) ?? EMPTY;
  }
}

function append(index: Map<number, number[]>, key: number, id: number): void {
  const list = index.get(key);
  if (list) list.push(id);
  else index.set(key, [id]);
}
