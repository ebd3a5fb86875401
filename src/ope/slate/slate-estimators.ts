/**
 * Estimators that treat the slate as the unit, for worlds where the items of a slate compete
 * (one click at most) and the item-position estimators of ../estimators.ts are biased. Value:
 * expected reward per slate, the same unit. For a log of S slates with slate reward R_s:
 *   slate_ips       (1/S) Σ_s π(s)/μ(s) · R_s
 *     Unbiased whenever μ(s) > 0 for every slate the target can serve, with no model of the
 *     reward. Needs the target's probability of a whole slate (deterministic or uniform
 *     targets) and the logging one (uniform logging); with many possible slates it almost
 *     never matches, and its variance is that of a needle in a haystack.
 *   pseudo_inverse  (1/S) Σ_s R_s · q_πᵀ Γ⁺ 1_s
 *     Swaminathan et al. (2017): 1_s marks the slate's (slot, item) pairs, q_π holds the
 *     target's slot marginals and Γ = E_μ[1_s 1_sᵀ]; for ℓ of m items drawn uniformly without
 *     replacement Γ⁺ has the closed form of `pseudoInverseFactor`. Unbiased when a slate's
 *     expected reward is a sum of per-(slot, item) terms given the context (linearity); biased
 *     when items compete.
 *   logit_dm        (1/S) Σ_s E_{slate~π} R̂(slate)
 *     The direct method with the slate logit of ./logit-choice-model.ts, fitted on its own log
 *     (the days before the evaluation window) and refitted on each bootstrap resample of it.
 *     Right when the world chooses by such a logit with utilities shared by all users.
 *   logit_dr        logit_dm + (1/S) Σ_s π(s)/μ(s) · (R_s − R̂(s))
 *     Unbiased if either the model or the whole-slate weights are right.
 * Stochastic targets' slates for logit_dm are drawn `draws` times per logged context, once, so
 * every bootstrap refit scores the same slates.
 */
import { Rng } from '../../rng/index.js';
import { percentileInterval, resampleCounts } from '../bootstrap.js';
import type { Estimate, WeighedLog } from '../estimators.js';
import { UniformPolicy } from '../policies/uniform.js';
import type { SlateLog } from '../slate-log.js';
import type { OpeContext, SlotDistribution, TargetPolicy } from '../types.js';
import { slotProbability } from '../slot.js';
import { SlateLogitModel } from './logit-choice-model.js';

export const SLATE_ESTIMATORS = ['slate_ips', 'pseudo_inverse', 'logit_dm', 'logit_dr'] as const;
export type SlateEstimatorName = (typeof SLATE_ESTIMATORS)[number];

/** How the logging policy drew its slates, when known exactly. */
export type LoggingDesign = 'uniform_without_replacement' | 'unknown';

export interface SlateEstimateOptions {
  readonly design: LoggingDesign;
  /** The log the logit model is fitted on (not the evaluated one). */
  readonly fitLog: SlateLog;
  readonly bootstrap: number;
  readonly confidence: number;
  readonly rng: Rng;
  /** Target slates drawn per logged context for logit_dm when the target is stochastic. */
  readonly draws?: number;
  /** Seeds those draws. */
  readonly seed: string;
  /**
   * What the bootstrap resamples: whole slates (default), or whole users with all their slates in
   * both logs — the right unit when users come back, since one user's slates are alike.
   */
  readonly resample?: 'slates' | 'users';
}

export interface SlateEstimates {
  /** null where the estimator cannot run on this log and target; `unavailable` says why. */
  readonly estimates: Record<SlateEstimatorName, Estimate | null>;
  readonly unavailable: Partial<Record<SlateEstimatorName, string>>;
  /** Logged slates the target could have served whole (π(s) > 0); null without whole-slate probabilities. */
  readonly slateMatches: number | null;
  readonly model: string | null;
}

/** Per slate: the model's mean over the target's slates, and the whole-slate weighted residual. */
interface ModelTerms {
  readonly dm: Float64Array;
  readonly residual: Float64Array;
}

/** Per-slate terms every estimate is a mean of; only logit ones depend on the model. */
interface SlateTerms {
  readonly reward: Float64Array;
  /** π(s)/μ(s), or null when either is not computable. */
  readonly slateWeight: Float64Array | null;
  readonly piFactor: Float64Array | null;
}

export function estimateSlateValue(weighed: WeighedLog, target: TargetPolicy, options: SlateEstimateOptions): SlateEstimates {
  const { log } = weighed;
  const S = log.contexts.length;
  const unavailable: Partial<Record<SlateEstimatorName, string>> = {};
  const terms = slateTerms(weighed, target, options.design, unavailable);
  const logitReason = !SlateLogitModel.fits(log) || !SlateLogitModel.fits(options.fitLog) ? 'rewards are not one click at most per slate' : null;
  if (logitReason) unavailable.logit_dm = logitReason;
  if (logitReason || !terms.slateWeight) unavailable.logit_dr ??= logitReason ?? unavailable.slate_ips;

  const model = logitReason ? null : SlateLogitModel.fit(options.fitLog);
  const targetSlates = model ? drawTargetSlates(weighed, target, options.draws ?? 16, options.seed) : [];
  const modelTerms = (m: SlateLogitModel): ModelTerms => {
    const dm = new Float64Array(S);
    const residual = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      let v = 0;
      for (const slate of targetSlates[s]) v += m.expectedClicks(slate);
      dm[s] = v / targetSlates[s].length;
      const w = terms.slateWeight?.[s] ?? 0;
      if (w !== 0) residual[s] = w * (terms.reward[s] - m.expectedClicks(log.itemId.subarray(log.start[s], log.start[s + 1])));
    }
    return { dm, residual };
  };

  const point = (counts: Int32Array | null, m: ModelTerms | null): Record<SlateEstimatorName, number> => {
    let n = 0;
    const sum = { slate_ips: 0, pseudo_inverse: 0, logit_dm: 0, logit_dr: 0 };
    for (let s = 0; s < S; s++) {
      const c = counts ? counts[s] : 1;
      if (c === 0) continue;
      n += c;
      if (terms.slateWeight) sum.slate_ips += c * terms.slateWeight[s] * terms.reward[s];
      if (terms.piFactor) sum.pseudo_inverse += c * terms.piFactor[s] * terms.reward[s];
      if (m) {
        sum.logit_dm += c * m.dm[s];
        sum.logit_dr += c * (m.dm[s] + m.residual[s]);
      }
    }
    return { slate_ips: sum.slate_ips / n, pseudo_inverse: sum.pseudo_inverse / n, logit_dm: sum.logit_dm / n, logit_dr: sum.logit_dr / n };
  };

  const full = model ? modelTerms(model) : null;
  const value = point(null, full);
  const B = options.bootstrap;
  const reps = Object.fromEntries(SLATE_ESTIMATORS.map((e) => [e, new Float64Array(B)])) as Record<SlateEstimatorName, Float64Array>;
  const counts = new Int32Array(S);
  const fitCounts = new Int32Array(options.fitLog.contexts.length);
  const users = options.resample === 'users' ? new UserClusters(log, options.fitLog) : null;
  for (let b = 0; b < B; b++) {
    if (users) users.resample(options.rng, counts, fitCounts);
    else resampleCounts(S, options.rng, counts);
    let m = full;
    if (model) {
      if (!users) resampleCounts(fitCounts.length, options.rng, fitCounts);
      m = modelTerms(SlateLogitModel.fit(options.fitLog, { start: model, iterations: 100 }, fitCounts));
    }
    const est = point(counts, m);
    for (const e of SLATE_ESTIMATORS) reps[e][b] = est[e];
  }
  const estimates: Record<SlateEstimatorName, Estimate | null> = Object.fromEntries(
    SLATE_ESTIMATORS.map((e): [SlateEstimatorName, Estimate | null] => {
      if (unavailable[e] !== undefined) return [e, null];
      const ci = B > 1 ? percentileInterval(reps[e], options.confidence) : { lo: Number.NaN, hi: Number.NaN, sd: Number.NaN };
      return [e, { value: value[e], lo: ci.lo, hi: ci.hi, se: ci.sd }];
    }),
  ) as Record<SlateEstimatorName, Estimate | null>;
  let slateMatches: number | null = null;
  if (terms.slateWeight) slateMatches = terms.slateWeight.reduce((k, w) => k + (w > 0 ? 1 : 0), 0);
  if (slateMatches === 0) {
    // Its estimate would be 0 with a zero-width interval whatever the truth: no data, not an answer.
    estimates.slate_ips = null;
    unavailable.slate_ips = `none of the ${S} logged slates is one the target serves`;
  }
  return { estimates, unavailable, slateMatches, model: model?.name ?? null };
}

function slateTerms(weighed: WeighedLog, target: TargetPolicy, design: LoggingDesign, unavailable: Partial<Record<SlateEstimatorName, string>>): SlateTerms {
  const { log, dists } = weighed;
  const S = log.contexts.length;
  const reward = new Float64Array(S);
  for (let s = 0; s < S; s++) for (let j = log.start[s]; j < log.start[s + 1]; j++) reward[s] += log.reward[j];
  if (design !== 'uniform_without_replacement') {
    const why = 'the logging policy\'s probability of a whole slate is not known (only uniform logging states it)';
    unavailable.slate_ips = why;
    unavailable.pseudo_inverse = why;
    return { reward, slateWeight: null, piFactor: null };
  }
  const piFactor = new Float64Array(S);
  let slateWeight: Float64Array | null = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    const ctx = log.contexts[s];
    const items = log.itemId.subarray(log.start[s], log.start[s + 1]);
    piFactor[s] = pseudoInverseFactor(dists[s], items, ctx.catalogSize);
    const pi = slateWeight ? targetSlateProbability(target, ctx, dists[s], items) : null;
    if (pi === null) slateWeight = null;
    else if (slateWeight) slateWeight[s] = pi / uniformSlateProbability(ctx.catalogSize, items.length);
  }
  if (!slateWeight) unavailable.slate_ips = 'the target\'s probability of a whole slate is not computable (its slots are drawn jointly)';
  return { reward, slateWeight, piFactor };
}

/**
 * q_πᵀ Γ⁺ 1_s for uniform logging of ℓ of m items. Γ = (1/m)·I + (1/(m(m−1)))·(J_ℓ − I)⊗(J_m − I)
 * has eigenvalues ℓ/m (the constant), 0 (slot contrasts, which no slate can tell apart),
 * (m − ℓ)/(m(m − 1)) (item contrasts) and 1/(m − 1) (the rest); projecting onto each gives
 *   1 + (m − 1)(A − ℓC) + ℓm(m − 1)/(m − ℓ) · (C − 1/m)
 * with A = Σ_p π(s_p at p) and C = (1/ℓ²) Σ_p Σ_j π(s_j at p). For ℓ = 1 it is m·π(s_1), IPS.
 */
export function pseudoInverseFactor(slots: readonly SlotDistribution[], items: ArrayLike<number>, catalogSize: number): number {
  const m = catalogSize;
  const l = items.length;
  let a = 0;
  let c = 0;
  for (let p = 0; p < l; p++) {
    for (let j = 0; j < l; j++) {
      const q = slotProbability(slots[p], items[j], m);
      c += q;
      if (j === p) a += q;
    }
  }
  c /= l * l;
  const itemContrast = m > l ? ((l * m * (m - 1)) / (m - l)) * (c - 1 / m) : 0;
  return 1 + (m - 1) * (a - l * c) + itemContrast;
}

/** P(this ordered slate) under uniform draws of ℓ of m items without replacement. */
export function uniformSlateProbability(catalogSize: number, length: number): number {
  let p = 1;
  for (let k = 0; k < length; k++) p /= catalogSize - k;
  return p;
}

/** π(the whole ordered slate), for targets that state it: deterministic ones (every slot a point mass) and uniform ones. */
export function targetSlateProbability(target: TargetPolicy, ctx: OpeContext, slots: readonly SlotDistribution[], items: ArrayLike<number>): number | null {
  if (target instanceof UniformPolicy) return uniformSlateProbability(ctx.catalogSize, items.length);
  for (let p = 0; p < items.length; p++) {
    const d = slots[p];
    const pointMass = d.restMass === 0 && d.probs.filter((x) => x > 0).length === 1;
    if (!pointMass) return null;
  }
  for (let p = 0; p < items.length; p++) {
    const d = slots[p];
    if (d.items[d.probs.findIndex((x) => x > 0)] !== items[p]) return 0;
  }
  return 1;
}

/** The target's slates for each logged context: one when it is deterministic, else `draws` seeded draws. */
function drawTargetSlates(weighed: WeighedLog, target: TargetPolicy, draws: number, seed: string): number[][][] {
  return weighed.log.contexts.map((ctx, s) => {
    const rng = new Rng(`${seed}/${ctx.slateId}/${ctx.userId}`);
    const first = target.sample(ctx, rng);
    if (targetSlateProbability(target, ctx, weighed.dists[s], first) === 1) return [first];
    const slates = [first];
    while (slates.length < draws) slates.push(target.sample(ctx, rng));
    return slates;
  });
}

/** The users of two logs, for a bootstrap that draws users and brings all their slates in both. */
class UserClusters {
  private readonly evalUser: Int32Array;
  private readonly fitUser: Int32Array;
  private readonly userCounts: Int32Array;

  constructor(evalLog: SlateLog, fitLog: SlateLog) {
    const index = new Map<number, number>();
    const of = (ctx: OpeContext): number => {
      let k = index.get(ctx.userId);
      if (k === undefined) index.set(ctx.userId, (k = index.size));
      return k;
    };
    this.evalUser = Int32Array.from(evalLog.contexts, of);
    this.fitUser = Int32Array.from(fitLog.contexts, of);
    this.userCounts = new Int32Array(index.size);
  }

  resample(rng: Rng, evalCounts: Int32Array, fitCounts: Int32Array): void {
    resampleCounts(this.userCounts.length, rng, this.userCounts);
    for (let s = 0; s < evalCounts.length; s++) evalCounts[s] = this.userCounts[this.evalUser[s]];
    for (let s = 0; s < fitCounts.length; s++) fitCounts[s] = this.userCounts[this.fitUser[s]];
  }
}
