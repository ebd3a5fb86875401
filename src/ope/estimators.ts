/**
 * Estimators of a target policy's value from another policy's log.
 *
 * Unit: the expected reward per slate, V(π) = E_x Σ_p E[r | x, π's item at slot p], estimated
 * slot by slot with per-(item, slot) propensities — the "independent item-position" IPS used
 * for slates. Assumption: the reward of an impression depends on the context, the item and its
 * slot only, not on the other items of the slate; and the logging policy gives every (item,
 * slot) the target can choose a positive propensity. Under these, with exact propensities μ
 * and w = π(item at slot | x) / μ, for a log of S slates:
 *   IPS   = (1/S) Σ_s Σ_j w_j r_j                       unbiased
 *   SNIPS = Σ_p (Σ_{rows at p} w r) / (Σ_{rows at p} w) self-normalised per slot: consistent, biased O(1/S), lower variance
 *   DM    = (1/S) Σ_s Σ_p E_{i~π(·|x,p)} r̂(x, i, p)     no weights; biased as much as the reward model is wrong
 *   DR    = DM + (1/S) Σ_s Σ_j w_j (r_j − r̂_j)           unbiased if r̂ does not depend on this log; lower variance when r̂ is good
 * Confidence intervals: percentile bootstrap resampling whole slates; when the reward model was
 * fitted on a log of its own (`refit`), that log is resampled and the model refitted as well,
 * so DM's interval reflects the model's uncertainty (with a fixed model DM's interval is only
 * the spread over contexts, often zero); a model fitted on the evaluated log itself is refitted
 * on the same resample.
 */
import type { Rng } from '../rng/index.js';
import { percentileInterval, resampleCounts } from './bootstrap.js';
import type { RewardModel } from './reward-model.js';
import { slotExpectation, slotProbability } from './slot.js';
import type { SlateLog } from './slate-log.js';
import type { SlotDistribution, TargetPolicy } from './types.js';

export const ESTIMATORS = ['ips', 'snips', 'dm', 'dr'] as const;
export type EstimatorName = (typeof ESTIMATORS)[number];
export type PointEstimates = Record<EstimatorName, number>;

/** The target's side of a log, computed once: its slot distributions and each impression's weight. */
export interface WeighedLog {
  readonly log: SlateLog;
  /** dists[s][p]: the target's distribution at slot p of slate s. */
  readonly dists: readonly (readonly SlotDistribution[])[];
  /** Per impression: target probability over logging propensity. */
  readonly impressionWeight: Float64Array;
}

export function weighLog(log: SlateLog, target: TargetPolicy): WeighedLog {
  const impressionWeight = new Float64Array(log.itemId.length);
  const dists = log.contexts.map((ctx, s) => {
    const slots = Array.from({ length: ctx.slateSize }, (_, p) => target.slot(ctx, p));
    for (let j = log.start[s]; j < log.start[s + 1]; j++) {
      const mu = log.propensity[j];
      if (!(mu > 0)) throw new Error(`slate ${ctx.slateId}: logged propensity ${mu} at slot ${log.position[j]}; estimators need positive propensities`);
      impressionWeight[j] = slotProbability(slots[log.position[j]], log.itemId[j], ctx.catalogSize) / mu;
    }
    return slots;
  });
  return { log, dists, impressionWeight };
}

/** Per-slate and per-(slate, slot) sums every estimator is a ratio of; resampled cheaply. */
export interface PreparedOpe {
  readonly slates: number;
  readonly slots: number;
  /** Σ_j w_j r_j per slate. */
  readonly ips: Float64Array;
  /** Σ_p E_π r̂ per slate. */
  readonly dm: Float64Array;
  /** Σ_j w_j (r_j − r̂_j) per slate. */
  readonly correction: Float64Array;
  /** w·r and w at [s·slots + p]. */
  readonly weightedReward: Float64Array;
  readonly weight: Float64Array;
}

export function prepareOpe(log: SlateLog, target: TargetPolicy, model: RewardModel): PreparedOpe {
  return applyModel(weighLog(log, target), model);
}

/** The sums for one reward model (only DM and the DR correction depend on it). */
export function applyModel(weighed: WeighedLog, model: RewardModel): PreparedOpe {
  const { log, dists, impressionWeight } = weighed;
  const S = log.contexts.length;
  let slots = 1;
  for (const ctx of log.contexts) slots = Math.max(slots, ctx.slateSize);
  const ips = new Float64Array(S);
  const dm = new Float64Array(S);
  const correction = new Float64Array(S);
  const weightedReward = new Float64Array(S * slots);
  const weight = new Float64Array(S * slots);
  for (let s = 0; s < S; s++) {
    const ctx = log.contexts[s];
    let value = 0;
    for (let p = 0; p < ctx.slateSize; p++) {
      value += slotExpectation(dists[s][p], (i) => model.predict(ctx, i, p), model.catalogSum(ctx, p), ctx.catalogSize);
    }
    dm[s] = value;
    for (let j = log.start[s]; j < log.start[s + 1]; j++) {
      const p = log.position[j];
      const w = impressionWeight[j];
      const r = log.reward[j];
      ips[s] += w * r;
      if (w !== 0) correction[s] += w * (r - model.predict(ctx, log.itemId[j], p));
      weightedReward[s * slots + p] += w * r;
      weight[s * slots + p] += w;
    }
  }
  return { slates: S, slots, ips, dm, correction, weightedReward, weight };
}

/** The four estimates, each slate counted `counts[s]` times (all once when counts is omitted). */
export function pointEstimates(prep: PreparedOpe, counts?: Int32Array): PointEstimates {
  const { slates: S, slots: P } = prep;
  let n = 0;
  let ips = 0;
  let dm = 0;
  let corr = 0;
  const num = new Float64Array(P);
  const den = new Float64Array(P);
  for (let s = 0; s < S; s++) {
    const c = counts ? counts[s] : 1;
    if (c === 0) continue;
    n += c;
    ips += c * prep.ips[s];
    dm += c * prep.dm[s];
    corr += c * prep.correction[s];
    for (let p = 0; p < P; p++) {
      num[p] += c * prep.weightedReward[s * P + p];
      den[p] += c * prep.weight[s * P + p];
    }
  }
  let snips = 0;
  for (let p = 0; p < P; p++) if (den[p] > 0) snips += num[p] / den[p];
  return { ips: ips / n, snips, dm: dm / n, dr: (dm + corr) / n };
}

export interface Estimate {
  readonly value: number;
  /** Percentile bootstrap interval; NaN when no bootstrap was run. */
  readonly lo: number;
  readonly hi: number;
  /** Bootstrap standard error. */
  readonly se: number;
}

export interface WeightDiagnostics {
  /** Mean weight per slot: 1 in expectation when propensities are right and the target stays inside the log's support. */
  readonly meanWeightBySlot: number[];
  /** Standard error of each slot's mean weight. */
  readonly meanWeightSeBySlot: number[];
  /** Slots whose mean weight is more than 4 standard errors from 1: wrong propensities or missing support. */
  readonly suspectSlots: number[];
  readonly maxWeight: number;
  /** Share of impressions the target could have shown there (weight > 0). */
  readonly matchedShare: number;
  /** Kish effective sample size of all impression weights, (Σw)² / Σw². */
  readonly effectiveSampleSize: number;
}

export interface OpeEstimates {
  readonly slates: number;
  readonly impressions: number;
  readonly estimates: Record<EstimatorName, Estimate>;
  readonly diagnostics: WeightDiagnostics;
  /** Each estimator's bootstrap replicates, when asked for (`keepReplicates`). */
  readonly replicates?: Record<EstimatorName, Float64Array>;
}

export interface EstimateOptions {
  /** Bootstrap replicates; 0 skips the intervals. */
  readonly bootstrap: number;
  readonly confidence: number;
  readonly rng: Rng;
  /** Return the bootstrap replicates too (e.g. for the spread of each estimator's error). */
  readonly keepReplicates?: boolean;
  /** How `model` was fitted, to refit it on each resample of its own log (the evaluated log itself: the same resample). */
  readonly refit?: {
    readonly log: SlateLog;
    readonly fit: (log: SlateLog, slateWeights: Int32Array) => RewardModel;
  };
}

export function estimatePolicyValue(log: SlateLog, target: TargetPolicy, model: RewardModel, options: EstimateOptions): OpeEstimates {
  return estimateWeighedValue(weighLog(log, target), model, options);
}

/** The same, from a log already weighed for its target (other estimators of the same log share it). */
export function estimateWeighedValue(weighed: WeighedLog, model: RewardModel, options: EstimateOptions): OpeEstimates {
  const { log } = weighed;
  const prep = applyModel(weighed, model);
  const point = pointEstimates(prep);
  const B = options.bootstrap;
  const reps = Object.fromEntries(ESTIMATORS.map((e) => [e, new Float64Array(B)])) as Record<EstimatorName, Float64Array>;
  const counts = new Int32Array(prep.slates);
  const refit = options.refit;
  const sameLog = refit?.log === log;
  const fitCounts = refit && !sameLog ? new Int32Array(refit.log.contexts.length) : undefined;
  for (let b = 0; b < B; b++) {
    resampleCounts(prep.slates, options.rng, counts);
    let replicate = prep;
    if (refit && fitCounts) {
      resampleCounts(fitCounts.length, options.rng, fitCounts);
      replicate = applyModel(weighed, refit.fit(refit.log, fitCounts));
    } else if (refit && sameLog) {
      replicate = applyModel(weighed, refit.fit(refit.log, counts));
    }
    const est = pointEstimates(replicate, counts);
    for (const e of ESTIMATORS) reps[e][b] = est[e];
  }
  const estimates = Object.fromEntries(
    ESTIMATORS.map((e) => {
      const ci = B > 1 ? percentileInterval(reps[e], options.confidence) : { lo: Number.NaN, hi: Number.NaN, sd: Number.NaN };
      return [e, { value: point[e], lo: ci.lo, hi: ci.hi, se: ci.sd }];
    }),
  ) as Record<EstimatorName, Estimate>;
  const result = { slates: prep.slates, impressions: log.itemId.length, estimates, diagnostics: weightDiagnostics(weighed) };
  return options.keepReplicates ? { ...result, replicates: reps } : result;
}

export function weightDiagnostics(weighed: WeighedLog): WeightDiagnostics {
  const { log, impressionWeight } = weighed;
  let slots = 1;
  for (let j = 0; j < log.position.length; j++) slots = Math.max(slots, log.position[j] + 1);
  const sum = new Float64Array(slots);
  const sumSquares = new Float64Array(slots);
  const rows = new Float64Array(slots);
  let total = 0;
  let squares = 0;
  let maxWeight = 0;
  let matched = 0;
  for (let j = 0; j < impressionWeight.length; j++) {
    const w = impressionWeight[j];
    sum[log.position[j]] += w;
    sumSquares[log.position[j]] += w * w;
    rows[log.position[j]] += 1;
    total += w;
    squares += w * w;
    maxWeight = Math.max(maxWeight, w);
    if (w > 0) matched++;
  }
  const mean = Array.from(sum, (x, p) => (rows[p] > 0 ? x / rows[p] : Number.NaN));
  const se = mean.map((m, p) => (rows[p] > 1 ? Math.sqrt(Math.max(0, sumSquares[p] / rows[p] - m * m) / (rows[p] - 1)) : Number.NaN));
  return {
    meanWeightBySlot: mean,
    meanWeightSeBySlot: se,
    suspectSlots: mean.flatMap((m, p) => (Math.abs(m - 1) > 4 * se[p] || (se[p] === 0 && m !== 1) ? [p] : [])),
    maxWeight,
    matchedShare: impressionWeight.length > 0 ? matched / impressionWeight.length : Number.NaN,
    effectiveSampleSize: squares > 0 ? (total * total) / squares : 0,
  };
}
