/**
 * A user's tastes, ground truth side: latent topic preferences and continuous tastes that drift
 * toward what they consume, and per-topic satiation that recovers over time.
 */
import type { Rng } from '../rng/index.js';
import { BlockSlices } from './block-slices.js';
import type { WorldWithUsers } from './user-models/user-model-entry.js';
import { TAG_COUNT, TOPIC_IDS, type TruthRows } from './truth-rows.js';
import { topicPrior } from './topic-prior.js';

/** Tastes belong to the satisfaction user model; its settings are read from `world.users`. */
type SatisfactionWorld = WorldWithUsers<'satisfaction'>;

export interface Tastes {
  /** True topic preferences (sum to 1). */
  readonly topicPrefs: Float64Array;
  topicNorm: number;
  readonly latent: Float32Array;
  /** Per-topic satiation, valid as of satiationTime; decays exponentially. */
  readonly satiation: Float32Array;
  satiationTime: number;
}

/** Where a population's taste vectors live: views of shared blocks, not three arrays of their own a user. */
export class TasteArrays {
  readonly prefs: BlockSlices<Float64Array>;
  readonly latent: BlockSlices<Float32Array>;
  readonly satiation: BlockSlices<Float32Array>;

  constructor(topics: number, latentDim: number) {
    this.prefs = new BlockSlices(new Float64Array(0), topics);
    this.latent = new BlockSlices(new Float32Array(0), latentDim);
    this.satiation = new BlockSlices(new Float32Array(0), topics);
  }
}

export function drawTastes(config: SatisfactionWorld, signupTime: number, rng: Rng, arrays: TasteArrays): Tastes {
  const topicPrefs = arrays.prefs.take();
  topicPrefs.set(rng.dirichlet(topicPrior(config.topics, config.users.preferences.topic_concentration, config.topic_skew)));
  const latent = arrays.latent.take();
  for (let d = 0; d < latent.length; d++) latent[d] = rng.normal();
  return { topicPrefs, topicNorm: norm(topicPrefs), latent, satiation: arrays.satiation.take(), satiationTime: signupTime };
}

/** The factor satiation keeps after `dt` days, or undefined when there is nothing to recover. */
function recoveryFactor(config: SatisfactionWorld, tastes: Tastes, time: number): number | undefined {
  const dt = time - tastes.satiationTime;
  return dt <= 0 ? undefined : Math.exp(-config.users.satiation.recovery_per_day * dt);
}

/** Brings satiation forward to `time` (exponential recovery). */
export function recover(config: SatisfactionWorld, tastes: Tastes, time: number): void {
  const factor = recoveryFactor(config, tastes, time);
  if (factor === undefined) return;
  const s = tastes.satiation;
  for (let k = 0; k < s.length; k++) s[k] *= factor;
  tastes.satiationTime = time;
}

/** The tastes as `recover` would leave them at `time`, on a copy of the satiation vector. */
export function recoveredCopy<T extends Tastes>(config: SatisfactionWorld, tastes: T, time: number): T {
  const factor = recoveryFactor(config, tastes, time);
  if (factor === undefined) return tastes;
  return { ...tastes, satiation: tastes.satiation.map((s) => s * factor), satiationTime: time };
}

/** Consuming an item satiates its topics and pulls preferences toward it. */
export function consume(config: SatisfactionWorld, tastes: Tastes, items: TruthRows, itemId: number): void {
  const { per_view } = config.users.satiation;
  const rate = config.users.drift.toward_consumed;
  const v = items.values;
  const o = itemId * items.width;
  const tags = v[o + TAG_COUNT];
  const weights = o + items.weightsAt;
  for (let j = 0; j < tags; j++) tastes.satiation[v[o + TOPIC_IDS + j]] += per_view * v[weights + j];
  if (rate === 0) return;
  const prefs = tastes.topicPrefs;
  for (let k = 0; k < prefs.length; k++) prefs[k] *= 1 - rate;
  for (let j = 0; j < tags; j++) prefs[v[o + TOPIC_IDS + j]] += rate * v[weights + j];
  tastes.topicNorm = norm(prefs);
  // Latent taste moves toward the item but keeps its scale, so affinities stay comparable.
  const before = norm(tastes.latent);
  const latent = o + items.latentAt;
  for (let d = 0; d < tastes.latent.length; d++) tastes.latent[d] = (1 - rate) * tastes.latent[d] + rate * v[latent + d];
  const after = norm(tastes.latent);
  if (after > 0) for (let d = 0; d < tastes.latent.length; d++) tastes.latent[d] *= before / after;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  return Math.sqrt(s);
}
