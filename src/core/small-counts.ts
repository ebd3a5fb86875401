/**
 * Counts of a few non-negative integer keys in a small open-addressing table: a lookup reads one
 * or two adjacent slots of an array that stays in the fastest cache, where an array indexed by
 * the key itself (an id among hundreds of thousands) would miss it on most lookups.
 */
export class SmallCounts {
  private keys = new Int32Array(16).fill(-1);
  private counts = new Int32Array(16);
  private shift = 28;

  /** Empties the table, sized for `expected` distinct keys. */
  clear(expected: number): void {
    let slots = this.keys.length;
    while (slots < 2 * expected) slots *= 2;
    if (slots !== this.keys.length) {
      this.keys = new Int32Array(slots);
      this.counts = new Int32Array(slots);
      this.shift = 32 - Math.log2(slots);
    }
    // A loop, not fill(): on a table this small the call costs more than the stores.
    const keys = this.keys;
    for (let k = 0; k < keys.length; k++) keys[k] = -1;
  }

  /** Adds one to `key`'s count; at most the `expected` keys of the last clear may be distinct. */
  add(key: number): void {
    const mask = this.keys.length - 1;
    let at = this.slot(key);
    while (this.keys[at] !== key && this.keys[at] !== -1) at = (at + 1) & mask;
    if (this.keys[at] === -1) {
      this.keys[at] = key;
      this.counts[at] = 0;
    }
    this.counts[at] += 1;
  }

  /** How many times `key` was added since the last clear. */
  count(key: number): number {
    const mask = this.keys.length - 1;
    for (let at = this.slot(key); ; at = (at + 1) & mask) {
      const found = this.keys[at];
      if (found === key) return this.counts[at];
      if (found === -1) return 0;
    }
  }

  /** Fibonacci hashing: the top bits of key · 2³²/φ. */
  private slot(key: number): number {
    return Math.imul(key, 0x9e3779b1) >>> this.shift;
  }
}
