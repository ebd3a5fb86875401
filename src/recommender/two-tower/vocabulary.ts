/**
 * Sizes of the id spaces the embedding tables must cover, kept up to date incrementally as the
 * catalog and user base grow (only records added since the last call are scanned).
 */
import type { PublicCatalog, PublicUsers } from '../../world/public.js';
import type { TableName } from './features.js';

export class Vocabulary {
  private itemsScanned = 0;
  private usersScanned = 0;
  private tags = 0;
  private creators = 0;
  private countries = 0;

  constructor(
    private readonly catalog: PublicCatalog,
    private readonly users: PublicUsers,
  ) {}

  /** Rows each table needs now (ids are dense from 0). */
  sizes(): Record<TableName, number> {
    const { catalog, users } = this;
    for (; this.itemsScanned < catalog.size; this.itemsScanned++) {
      const item = catalog.get(this.itemsScanned);
      this.creators = Math.max(this.creators, item.creatorId + 1);
      for (const t of item.topics) this.tags = Math.max(this.tags, t + 1);
    }
    for (; this.usersScanned < users.size; this.usersScanned++) {
      this.countries = Math.max(this.countries, users.get(this.usersScanned).country + 1);
    }
    return { item: catalog.size, tag: this.tags, creator: this.creators, country: this.countries };
  }
}
