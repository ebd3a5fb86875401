/**
 * One vector per user seen this epoch (e.g. summed topic weights), kept in a single flat
 * Float64Array in the order users were first seen, with a typed-array index from user id to
 * row: no Map and no object per user, and clearing touches only the rows in use.
 */
import { ensureLength } from './arrays.js';

export class UserVectors {
  /** user id → row + 1 this epoch; 0 = no row. */
  private rowOf = new Int32Array(0);
  /** User of each row, in first-seen order. */
  private users = new Int32Array(0);
  private data = new Float64Array(0);
  private rows = 0;

  constructor(readonly width: number) {}

  /** Users with a row this epoch. */
  get size(): number {
    return this.rows;
  }

  /** The user's row, made (zeroed) on first use this epoch. */
  rowFor(userId: number): number {
    this.rowOf = ensureLength(this.rowOf, userId + 1, 0);
    let row = this.rowOf[userId] - 1;
    if (row < 0) {
      row = this.rows++;
      this.rowOf[userId] = row + 1;
      this.users = ensureLength(this.users, this.rows, 0);
      this.users[row] = userId;
      this.data = ensureLength(this.data, this.rows * this.width, 0);
    }
    return row;
  }

  /** Adds `weights[k]` at index `ids[k]` of a row, k below `count`; an index outside the width is dropped, never spilled into another row. */
  add(row: number, ids: ArrayLike<number>, weights: ArrayLike<number>, count = ids.length): void {
    const { data, width } = this;
    const offset = row * width;
    for (let k = 0; k < count; k++) {
      const index = ids[k];
      if (index >= 0 && index < width) data[offset + index] += weights[k];
    }
  }

  /** The flat storage: row r holds values[r·width, (r+1)·width). Read it after the last rowFor (rows may move when it grows). */
  get values(): Float64Array {
    return this.data;
  }

  /** The user of row r. */
  userOf(r: number): number {
    return this.users[r];
  }

  /** Row r, in first-seen order, as a view. */
  row(r: number): Float64Array {
    return this.data.subarray(r * this.width, (r + 1) * this.width);
  }

  /** Drops every row (zeroing what was used), keeping the capacity. */
  clear(): void {
    this.data.fill(0, 0, this.rows * this.width);
    for (let r = 0; r < this.rows; r++) this.rowOf[this.users[r]] = 0;
    this.rows = 0;
  }
}
