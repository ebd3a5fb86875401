/**
 * What users have consumed: the one thing the learned recommenders train on. One item per user
 * per step, never the same item twice for a user (record refuses a repeat, so a bug that lets
 * one through stops the run instead of skewing it).
 */
export class Interactions {
  /** users × items: 1 where the user has consumed the item. */
  readonly consumed: Uint8Array;
  /** users × steps: the item each user consumed at each step. */
  readonly history: Int32Array;
  /** Consumers per item. */
  readonly itemCounts: Int32Array;
  /** Steps recorded so far. */
  steps = 0;

  constructor(
    readonly users: number,
    readonly items: number,
    readonly maxSteps: number,
  ) {
    this.consumed = new Uint8Array(users * items);
    this.history = new Int32Array(users * maxSteps);
    this.itemCounts = new Int32Array(items);
  }

  /** Records one step: choices[u] is the item user u consumed. */
  record(choices: Int32Array): void {
    if (this.steps >= this.maxSteps) throw new RangeError(`interactions: more than ${this.maxSteps} steps`);
    for (let u = 0; u < this.users; u++) {
      const item = choices[u];
      const at = u * this.items + item;
      if (this.consumed[at] === 1) throw new Error(`interactions: user ${u} consumed item ${item} twice`);
      this.consumed[at] = 1;
      this.itemCounts[item]++;
      this.history[u * this.maxSteps + this.steps] = item;
    }
    this.steps++;
  }

  hasConsumed(user: number, item: number): boolean {
    return this.consumed[user * this.items + item] === 1;
  }

  /** The items user u has consumed, in the order consumed. */
  itemsOf(user: number): Int32Array {
    return this.history.subarray(user * this.maxSteps, user * this.maxSteps + this.steps);
  }
}
