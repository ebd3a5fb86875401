/**
 * The creator cap as the exploration policy sees it (types.ts CreatorCap): creators from the
 * public catalog, and per-creator item counts kept up to date as the catalog grows (it is
 * append-only), so a policy drawing from the whole catalog can count what the cap excludes.
 */
import type { PublicCatalog } from '../../world/public.js';
import { sharedItemTable, type ItemTable } from '../item-table.js';
import type { CreatorCap } from '../types.js';

export class CatalogCreatorCap implements CreatorCap {
  private readonly counts = new Map<number, number>();
  private counted = 0;
  private readonly items: ItemTable;

  constructor(
    private readonly catalog: PublicCatalog,
    readonly cap: number,
  ) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`creator cap must be a whole number of 1 or more, got ${cap}`);
    this.items = sharedItemTable(catalog);
  }

  creatorOf(itemId: number): number {
    // From the flat table: policies ask per candidate, and catalog objects lie all over the heap.
    const items = this.items;
    if (itemId >= items.size) items.sync();
    return items.creators[itemId];
  }

  catalogItems(creatorId: number): number {
    for (; this.counted < this.catalog.size; this.counted++) {
      const c = this.catalog.get(this.counted).creatorId;
      this.counts.set(c, (this.counts.get(c) ?? 0) + 1);
    }
    return this.counts.get(creatorId) ?? 0;
  }
}
