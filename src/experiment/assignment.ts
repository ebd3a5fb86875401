/**
 * Which arm a user belongs to in a user split: a seeded hash of the user id, cut at the arms'
 * cumulative traffic shares. Stateless, so a user's arm depends neither on when they arrive nor
 * on anything else the simulation draws; the key comes from the replica's own stream
 * (`root/experiment/assignment`), so each replica splits users afresh.
 */
import { RandomStreams } from '../rng/index.js';

const TWO_POW_32 = 2 ** 32;

export class UserAssignment {
  private readonly key: number;
  /** Upper edge of each arm's slice of [0, 1); the last is exactly 1. */
  private readonly edges: Float64Array;

  constructor(
    seed: number | string,
    readonly names: readonly string[],
    shares: readonly number[],
  ) {
    if (names.length === 0 || names.length !== shares.length) throw new Error('UserAssignment: one share per arm, at least one arm');
    this.key = new RandomStreams(seed).stream('experiment/assignment').int(TWO_POW_32);
    const total = shares.reduce((sum, share) => sum + share, 0);
    let cumulative = 0;
    this.edges = Float64Array.from(shares, (share) => (cumulative += share / total));
    this.edges[this.edges.length - 1] = 1;
  }

  /** Index of the user's arm in `names`. */
  armIndex(userId: number): number {
    const u = mix32((this.key ^ Math.imul(userId + 1, 0x9e3779b1)) >>> 0) / TWO_POW_32;
    let arm = 0;
    while (u >= this.edges[arm]) arm++;
    return arm;
  }

  armName(userId: number): string {
    return this.names[this.armIndex(userId)];
  }
}

/** MurmurHash3's 32-bit finalizer: every input bit affects every output bit. */
function mix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
