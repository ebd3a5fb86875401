/**
 * What a real system could know about items and users: ids, tags, creator, length, upload
 * time, and the attributes a user's client reports. This is the only part of the world the
 * recommender side may import; ground truth (quality, latent vectors, preferences, utility)
 * lives in the world's own modules and never appears in these types.
 */

export const DEVICES = ['mobile', 'desktop', 'tv'] as const;
export type Device = (typeof DEVICES)[number];

export interface PublicItem {
  readonly id: number;
  readonly creatorId: number;
  /** Topic tags, most prominent first. */
  readonly topics: readonly number[];
  readonly lengthMinutes: number;
  /** Simulated day of upload; items in the initial catalog were uploaded before day 0. */
  readonly uploadTime: number;
}

export interface PublicUser {
  readonly id: number;
  readonly country: number;
  readonly device: Device;
  /** Hour of day (0-23) the user usually shows up. */
  readonly typicalHour: number;
  readonly signupTime: number;
}

/** Append-only registry of public records, indexed by id (ids are dense from 0). */
export class PublicRegistry<T extends { readonly id: number }> {
  private readonly records: T[] = [];

  add(record: T): void {
    if (record.id !== this.records.length) {
      throw new Error(`ids must be dense: expected ${this.records.length}, got ${record.id}`);
    }
    this.records.push(Object.freeze(record));
  }

  get(id: number): T {
    const record = this.records[id];
    if (record === undefined) throw new RangeError(`unknown id ${id}`);
    return record;
  }

  get size(): number {
    return this.records.length;
  }

  all(): readonly T[] {
    return this.records;
  }
}

export type PublicCatalog = PublicRegistry<PublicItem>;
export type PublicUsers = PublicRegistry<PublicUser>;
