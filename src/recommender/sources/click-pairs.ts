/**
 * A counted set of (user, item) click pairs in typed arrays (open addressing, linear probing),
 * so "has this user clicked this item in the log window" costs no object per pair and the set
 * can be updated by adding one epoch's clicks and taking away another's.
 *
 * A pair whose count falls to 0 keeps its slot (as absent) until the table is rebuilt, which
 * happens when occupied slots pass half the capacity; memory follows the pairs in the window.
 */
import { grown } from '../../core/typed-arrays.js';

const EMPTY = -1;
const MIN_CAPACITY = 1024;

export class ClickPairs {
  private users = new Int32Array(MIN_CAPACITY).fill(EMPTY);
  private items = new Int32Array(MIN_CAPACITY);
  private counts = new Int32Array(MIN_CAPACITY);
  private mask = MIN_CAPACITY - 1;
  /** Slots holding a key, counted or not. */
  private occupied = 0;
  /** Pairs with a count above 0. */
  private live = 0;
  /** Per user: distinct items with a count above 0. */
  private perUser = new Int32Array(0);

  /** Changes the count of (user, item) by `delta`; a count may not go below 0. */
  add(userId: number, itemId: number, delta: number): void {
    if (delta === 0) return;
    let slot = this.find(userId, itemId);
    if (this.users[slot] === EMPTY) {
      if (delta < 0) throw new Error(`click pair (${userId}, ${itemId}) taken away more often than added`);
      if (2 * (this.occupied + 1) > this.users.length) {
        this.rebuild();
        slot = this.find(userId, itemId);
      }
      this.users[slot] = userId;
      this.items[slot] = itemId;
      this.occupied++;
    }
    const before = this.counts[slot];
    const after = before + delta;
    if (after < 0) throw new Error(`click pair (${userId}, ${itemId}) taken away more often than added`);
    this.counts[slot] = after;
    if (before === 0 && after > 0) this.countUser(userId, 1);
    else if (before > 0 && after === 0) this.countUser(userId, -1);
  }

  has(userId: number, itemId: number): boolean {
    return this.counts[this.find(userId, itemId)] > 0;
  }

  /** Whether one of the user's pairs has a count above 0. */
  hasAny(userId: number): boolean {
    return userId < this.perUser.length && this.perUser[userId] > 0;
  }

  /** The slot holding (user, item), or the empty slot where it would go. */
  private find(userId: number, itemId: number): number {
    const { users, items, mask } = this;
    let slot = hash(userId, itemId) & mask;
    while (users[slot] !== EMPTY && (users[slot] !== userId || items[slot] !== itemId)) slot = (slot + 1) & mask;
    return slot;
  }

  private countUser(userId: number, delta: number): void {
    if (userId >= this.perUser.length) {
      this.perUser = grown(this.perUser, Math.max(64, 2 * this.perUser.length, userId + 1));
    }
    this.perUser[userId] += delta;
    this.live += delta;
  }

  /** Rehashes the counted pairs only, into a table at most a quarter full. */
  private rebuild(): void {
    const { users, items, counts } = this;
    let capacity = MIN_CAPACITY;
    while (capacity < 4 * (this.live + 1)) capacity *= 2;
    this.users = new Int32Array(capacity).fill(EMPTY);
    this.items = new Int32Array(capacity);
    this.counts = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.occupied = 0;
    for (let s = 0; s < users.length; s++) {
      if (users[s] === EMPTY || counts[s] === 0) continue;
      const slot = this.find(users[s], items[s]);
      this.users[slot] = users[s];
      this.items[slot] = items[s];
      this.counts[slot] = counts[s];
      this.occupied++;
    }
  }
}

/** MurmurHash3's finaliser over both ids: neighbouring pairs land far apart. */
function hash(userId: number, itemId: number): number {
  let h = Math.imul(userId, 0xcc9e2d51) ^ Math.imul(itemId ^ 0x5bd1e995, 0x1b873593);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
