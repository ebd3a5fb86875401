/**
 * Homogenization after Chaney, Stewart & Engelhardt (2018), "How algorithmic confounding in
 * recommendation systems increases homogeneity and decreases utility".
 *
 * A fixed sample of users is drawn once, at the end of the first epoch, from the users who
 * exist then and have not churned (size = `sampleSize`, or all of them if fewer), with
 * `sampler.sampleIndices`. Each sampled user is paired with the *other sampled user* whose
 * TRUE topic preferences are most cosine-similar at that moment (ties: the earlier one in
 * sample order); pairs are directed, so a mutual pair counts twice. Each epoch the figure is
 * the mean over sampled users of the Jaccard index between the set of items the user clicked
 * in the epoch and the set their partner clicked, over pairs where at least one of the two
 * clicked something (a pair of idle users says nothing about shared consumption). No such
 * pair, or fewer than two sampled users: 0.
 *
 * Cost: O(1) per click; drawing the sample is O(users + k² · topics) once; each epoch is
 * O(clicks by sampled users). During the first epoch (before the sample exists) clicked sets
 * are kept for every clicker, i.e. memory O(clicks of epoch 0) once.
 */
import { ensureLength } from './arrays.js';
import { cosine, jaccard } from './stats.js';
import type { WorldView } from './types.js';

/** The one thing homogenization needs from an Rng (the project's Rng satisfies it). */
export interface IndexSampler {
  /** k distinct indices from [0, n). */
  sampleIndices(n: number, k: number): number[];
}

const EMPTY: ReadonlySet<number> = new Set<number>();

export class Homogenization {
  /** userId → position in the sample, or -1; null until the sample is drawn. */
  private slotOf: Int32Array | null = null;
  private sampled: Int32Array = new Int32Array(0);
  private partner: Int32Array = new Int32Array(0);
  private churnedBeforeDraw = new Uint8Array(0);
  /** Items clicked this epoch by (sampled) users. */
  private readonly clicked = new Map<number, Set<number>>();

  constructor(
    private readonly world: WorldView,
    private readonly sampleSize: number,
    private readonly sampler: IndexSampler,
  ) {
    if (!Number.isInteger(sampleSize) || sampleSize < 0) {
      throw new RangeError(`homogenizationSample must be a non-negative integer (got ${sampleSize})`);
    }
  }

  observeClick(userId: number, itemId: number): void {
    const slots = this.slotOf;
    if (slots !== null && (userId >= slots.length || slots[userId] < 0)) return;
    let set = this.clicked.get(userId);
    if (set === undefined) {
      set = new Set<number>();
      this.clicked.set(userId, set);
    }
    set.add(itemId);
  }

  observeChurn(userId: number): void {
    if (this.slotOf !== null) return;
    this.churnedBeforeDraw = ensureLength(this.churnedBeforeDraw, userId + 1, 0);
    this.churnedBeforeDraw[userId] = 1;
  }

  /** The sampled user ids, in sample order (empty before the first epoch end). */
  sampleUsers(): readonly number[] {
    return Array.from(this.sampled);
  }

  /** Partner user id of each sampled user, aligned with sampleUsers() (-1: no partner). */
  partnerUsers(): readonly number[] {
    return Array.from(this.partner, (p) => (p < 0 ? -1 : this.sampled[p]));
  }

  /** Figure for the epoch that just ended; then clears the clicked sets. */
  endEpoch(): number {
    if (this.slotOf === null) this.draw();
    const { sampled, partner, clicked } = this;
    let sum = 0;
    let pairs = 0;
    for (let i = 0; i < sampled.length; i++) {
      const j = partner[i];
      if (j < 0) continue;
      const a = clicked.get(sampled[i]) ?? EMPTY;
      const b = clicked.get(sampled[j]) ?? EMPTY;
      if (a.size === 0 && b.size === 0) continue;
      sum += jaccard(a, b);
      pairs++;
    }
    clicked.clear();
    return pairs === 0 ? 0 : sum / pairs;
  }

  private draw(): void {
    const { world } = this;
    const userCount = world.userCount();
    const candidates: number[] = [];
    for (let u = 0; u < userCount; u++) {
      if (u < this.churnedBeforeDraw.length && this.churnedBeforeDraw[u] !== 0) continue;
      candidates.push(u);
    }
    this.churnedBeforeDraw = new Uint8Array(0);
    const k = Math.min(this.sampleSize, candidates.length);
    const picks = k === 0 ? [] : this.sampler.sampleIndices(candidates.length, k);
    if (picks.length !== k) throw new Error(`sampleIndices returned ${picks.length} indices, expected ${k}`);

    const slotOf = new Int32Array(userCount).fill(-1);
    const sampled = new Int32Array(k);
    for (let i = 0; i < k; i++) {
      const index = picks[i];
      if (!Number.isInteger(index) || index < 0 || index >= candidates.length) {
        throw new RangeError(`sampleIndices returned ${index}, outside [0, ${candidates.length})`);
      }
      const user = candidates[index];
      if (slotOf[user] >= 0) throw new Error(`sampleIndices returned index ${index} twice`);
      slotOf[user] = i;
      sampled[i] = user;
    }

    // Snapshot of true preferences at draw time; pairing is fixed from here on.
    const prefs = Array.from(sampled, (u) => Float64Array.from(world.userTopicPrefs(u)));
    const partner = new Int32Array(k).fill(-1);
    for (let i = 0; i < k; i++) {
      let best = -Infinity;
      for (let j = 0; j < k; j++) {
        if (j === i) continue;
        const sim = cosine(prefs[i], prefs[j]);
        if (sim > best) {
          best = sim;
          partner[i] = j;
        }
      }
    }

    this.slotOf = slotOf;
    this.sampled = sampled;
    this.partner = partner;
  }
}
