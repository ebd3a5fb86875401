/**
 * Off-policy evaluation on imported logs, checked against a real on-policy truth: a target
 * policy's click rate per impression estimated from one log (IPS, SNIPS, DM, DR with bootstrap
 * intervals, src/ope/estimators.ts) and compared with the click rate of a second log in which
 * that policy served the same traffic (OBD: uniform random and Thompson sampling side by side).
 * Each estimator's relative error |estimate − truth| / truth is given for the whole log and as
 * mean and spread over the bootstrap resamples (the protocol of OBP's published example), with
 * whether its interval covers the truth.
 */
import { RandomStreams } from '../../rng/index.js';
import { ESTIMATORS, estimatePolicyValue, type EstimatorName } from '../estimators.js';
import { OpeLogError } from './ope-log-error.js';
import { readBetaPriors } from './priors.js';
import { readImportedLog, type LoggedRounds } from './read-imported.js';
import { fitRoundModel, roundLog, roundTarget } from './round-log.js';
import { exposureMarginals, thompsonMarginals, uniformMarginals, type SlotMarginals } from './slot-marginals.js';

export const LOGGED_TARGETS = ['uniform', 'bernoulli_thompson', 'truth_exposure'] as const;

export type LoggedTarget =
  | { readonly policy: 'uniform' }
  /** The truth log's own (item, slot) exposure shares: the policy that earned the truth, time-averaged. */
  | { readonly policy: 'truth_exposure' }
  | { readonly policy: 'bernoulli_thompson'; readonly priors: string; readonly campaign: string; readonly draws: number };

export interface LoggedOpeRequest {
  readonly logDir: string;
  /** A log the target itself served on the same traffic; its click rate is the truth. */
  readonly truthDir?: string;
  readonly target: LoggedTarget;
  readonly bootstrap: number;
  readonly confidence: number;
  readonly seed: number;
}

export interface LoggedEstimatorRow {
  readonly estimator: EstimatorName;
  readonly estimate: number;
  readonly ci_lo: number;
  readonly ci_hi: number;
  /** Bootstrap standard error. */
  readonly se: number;
  /** |estimate − truth| / truth on the whole log; null without a truth. */
  readonly relative_error: number | null;
  /** Mean and standard deviation of |replicate − truth| / truth over the bootstrap resamples. */
  readonly relative_error_mean: number | null;
  readonly relative_error_sd: number | null;
  readonly ci_covers_truth: boolean | null;
  /**
   * (estimate − truth) / √(se² + truth's se²): the gap in standard errors of both sides. The
   * interval above counts only the estimate's noise, while the truth is one log's click rate
   * with noise of its own.
   */
  readonly gap_z: number | null;
}

export interface LoggedLogSummary {
  readonly dir: string;
  readonly policy: string;
  readonly impressions: number;
  readonly clicks: number;
  readonly click_rate: number;
  /** Binomial standard error of the click rate. */
  readonly click_rate_se: number;
}

export interface LoggedOpeReport {
  readonly unit: 'expected clicks per impression';
  readonly log: LoggedLogSummary;
  readonly truth: LoggedLogSummary | null;
  readonly target: {
    readonly policy: LoggedTarget['policy'];
    readonly priors: string | null;
    readonly campaign: string | null;
    /** Samples behind each slot's probabilities (Monte-Carlo draws, or the truth log's impressions there); 0 when exact. */
    readonly samples_per_slot: readonly number[];
    /** The largest standard error of one (item, slot) probability. */
    readonly probability_se_max: number;
    /** About how much that sampling error moves the IPS estimate (one standard error). */
    readonly ips_sampling_se: number;
    /** P(item at slot), one row per item. */
    readonly probabilities: readonly (readonly number[])[];
  };
  readonly settings: { readonly bootstrap: number; readonly confidence: number; readonly seed: number };
  readonly estimators: readonly LoggedEstimatorRow[];
  readonly diagnostics: {
    readonly mean_weight: number;
    readonly mean_weight_se: number;
    readonly max_weight: number;
    readonly matched_share: number;
    readonly effective_sample_size: number;
    readonly reward_model: string;
  };
}

export async function evaluateLoggedPolicy(request: LoggedOpeRequest): Promise<LoggedOpeReport> {
  const rounds = await readImportedLog(request.logDir);
  const missing = rounds.propensity.findIndex((p) => !(p > 0));
  if (missing >= 0) throw new OpeLogError(`${request.logDir}: impression ${missing} has no logging propensity; off-policy estimators need every one`);
  const truthRounds = request.truthDir === undefined ? undefined : await readImportedLog(request.truthDir);
  if (truthRounds && truthRounds.slots !== rounds.slots) {
    throw new OpeLogError(`${request.truthDir}: ${truthRounds.slots} slots, but ${request.logDir} has ${rounds.slots}; the truth must come from the same slates`);
  }
  const streams = new RandomStreams(request.seed);
  const marginals = await targetMarginals(request.target, rounds, truthRounds, streams);
  const prepared = roundLog(rounds);
  const target = roundTarget(request.target.policy, marginals, prepared.position);
  const result = estimatePolicyValue(prepared.log, target, fitRoundModel(prepared), {
    bootstrap: request.bootstrap,
    confidence: request.confidence,
    rng: streams.stream('ope-log/bootstrap'),
    keepReplicates: true,
    refit: { log: prepared.log, fit: (_log, weights) => fitRoundModel(prepared, weights) },
  });
  const truth = truthRounds ? summarise(truthRounds) : null;
  const estimators = ESTIMATORS.map((name): LoggedEstimatorRow => {
    const e = result.estimates[name];
    const replicates = result.replicates?.[name] ?? new Float64Array();
    const spread = truth ? relativeErrorSpread(replicates, truth.click_rate) : null;
    return {
      estimator: name,
      estimate: e.value,
      ci_lo: e.lo,
      ci_hi: e.hi,
      se: e.se,
      relative_error: truth ? Math.abs(e.value - truth.click_rate) / truth.click_rate : null,
      relative_error_mean: spread?.mean ?? null,
      relative_error_sd: spread?.sd ?? null,
      ci_covers_truth: truth ? e.lo <= truth.click_rate && truth.click_rate <= e.hi : null,
      gap_z: truth ? (e.value - truth.click_rate) / Math.sqrt(e.se ** 2 + truth.click_rate_se ** 2) : null,
    };
  });
  const d = result.diagnostics;
  return {
    unit: 'expected clicks per impression',
    log: summarise(rounds),
    truth,
    target: {
      policy: request.target.policy,
      priors: request.target.policy === 'bernoulli_thompson' ? request.target.priors : null,
      campaign: request.target.policy === 'bernoulli_thompson' ? request.target.campaign : null,
      samples_per_slot: marginals.samplesPerSlot,
      probability_se_max: probabilitySeMax(marginals),
      ips_sampling_se: ipsSamplingSe(rounds, marginals),
      probabilities: Array.from({ length: marginals.items }, (_, i) => Array.from(marginals.prob.subarray(i * marginals.slots, (i + 1) * marginals.slots))),
    },
    settings: { bootstrap: request.bootstrap, confidence: request.confidence, seed: request.seed },
    estimators,
    diagnostics: {
      mean_weight: d.meanWeightBySlot[0],
      mean_weight_se: d.meanWeightSeBySlot[0],
      max_weight: d.maxWeight,
      matched_share: d.matchedShare,
      effective_sample_size: d.effectiveSampleSize,
      reward_model: 'item × slot (examination hypothesis), fitted on the evaluated log and refitted on each resample',
    },
  };
}

async function targetMarginals(target: LoggedTarget, rounds: LoggedRounds, truth: LoggedRounds | undefined, streams: RandomStreams): Promise<SlotMarginals> {
  if (target.policy === 'uniform') return uniformMarginals(rounds.items, rounds.slots);
  if (target.policy === 'truth_exposure') {
    if (!truth) throw new OpeLogError('the truth_exposure target is the truth log\'s own exposure; give that log with --truth');
    return exposureMarginals(truth.itemId, truth.position, Math.max(rounds.items, truth.items), rounds.slots);
  }
  const priors = await readBetaPriors(target.priors, target.campaign);
  if (priors.alpha.length !== rounds.items) {
    throw new OpeLogError(`${target.priors}: ${target.campaign} has priors for ${priors.alpha.length} items, but ${rounds.dir} has ${rounds.items}`);
  }
  return thompsonMarginals(priors.alpha, priors.beta, rounds.slots, target.draws, streams.stream('ope-log/thompson-marginals'));
}

function summarise(rounds: LoggedRounds): LoggedLogSummary {
  const n = rounds.clicked.length;
  let clicks = 0;
  for (const c of rounds.clicked) clicks += c;
  const rate = clicks / n;
  return { dir: rounds.dir, policy: rounds.arm, impressions: n, clicks, click_rate: rate, click_rate_se: Math.sqrt((rate * (1 - rate)) / n) };
}

function relativeErrorSpread(replicates: Float64Array, truth: number): { mean: number; sd: number } | null {
  const n = replicates.length;
  if (n < 2) return null;
  const errors = Array.from(replicates, (x) => Math.abs(x - truth) / truth);
  const mean = errors.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(errors.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, sd };
}

/** Binomial standard error of one estimated probability; 0 for an exact one. */
function probabilitySe(m: SlotMarginals, cell: number): number {
  const samples = m.samplesPerSlot[cell % m.slots];
  const p = m.prob[cell];
  return samples > 0 ? Math.sqrt((p * (1 - p)) / samples) : 0;
}

function probabilitySeMax(m: SlotMarginals): number {
  let max = 0;
  for (let cell = 0; cell < m.prob.length; cell++) max = Math.max(max, probabilitySe(m, cell));
  return max;
}

/**
 * IPS = (1/n) Σ_cells c_cell π_cell with c = Σ of r/μ over the cell's rounds, so each estimated
 * π's error moves it by c/n times that error; the cells' errors are taken as independent (within a
 * slot they are negatively correlated, so this errs on the large side).
 */
function ipsSamplingSe(rounds: LoggedRounds, m: SlotMarginals): number {
  const n = rounds.itemId.length;
  const c = new Float64Array(m.items * m.slots);
  for (let r = 0; r < n; r++) c[rounds.itemId[r] * m.slots + rounds.position[r]] += rounds.clicked[r] / rounds.propensity[r];
  let variance = 0;
  for (let k = 0; k < c.length; k++) variance += ((c[k] / n) * probabilitySe(m, k)) ** 2;
  return Math.sqrt(variance);
}
