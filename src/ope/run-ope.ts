/**
 * `recloop ope` as phases: check the settings → run the logging world → run the twin world
 * (same scenario and seed; the target takes over at the start of the evaluation window) →
 * estimate the target's value from the logging run's evaluation window → compare with the
 * value the target really had in the twin world.
 *
 * Truths reported (value = mean reward per slate over the evaluation window):
 * - twin_realised: what the target earned online in the twin world (the headline truth);
 * - twin_expected (click reward): the same slates' expected clicks under the world's choice
 *   model, which removes the noise of one click draw per slate;
 * - logged_contexts_expected (click reward): the target's expected clicks on exactly the
 *   logged requests. Its gap to twin_expected is the part of the error no estimator can remove:
 *   the target changes which users come back and when;
 * - logged_contexts_slotwise (click reward): the target's items placed one slot at a time into
 *   the logged slates — what the item-position estimators converge to. Its gap to
 *   logged_contexts_expected is what their independence assumption costs in this world (the
 *   choice model gives one click per slate, so items compete).
 */
import { clickedByUser, meanRankingScores, type RankingScores } from '../metrics/offline.js';
import type { Recommender } from '../recommender/types.js';
import { buildRecommender } from '../recommender/baselines.js';
import { Rng } from '../rng/index.js';
import type { Scenario } from '../scenario/index.js';
import { buildEnvironment } from '../simulation/build.js';
import { Simulation } from '../simulation/simulation.js';
import type { ImpressionBuffer } from '../training/impression-buffer.js';
import { TrainingLog } from '../training/training-log.js';
import type { PublicCatalog } from '../world/public.js';
import { OpeArm } from './arm.js';
import { ESTIMATORS, estimateWeighedValue, weighLog, type Estimate, type WeightDiagnostics } from './estimators.js';
import { checkAssumption, type AnyEstimatorName, type AssumptionCheck } from './slate/assumptions.js';
import { SLATE_ESTIMATORS, estimateSlateValue, type SlateEstimatorName } from './slate/slate-estimators.js';
import { impressionDigest } from './fingerprint.js';
import type { Ranking } from './policies/ranking.js';
import { buildOpePolicy, describePolicy } from './policy-factory.js';
import { PolicyRecommender } from './policy-recommender.js';
import { FactorisedRewardModel } from './reward-model.js';
import { opeConfigOf, type OpeConfig } from '../scenario/ope-schema.js';
import { countTopSlots, perSlateValue } from './log-values.js';
import { slateLogFromImpressions } from './slate-log.js';
import type { Reward } from '../training/rewards.js';

export interface EstimatorRow extends AssumptionCheck {
  readonly estimator: AnyEstimatorName;
  readonly estimate: number;
  readonly ci_lo: number;
  readonly ci_hi: number;
  readonly se: number;
  /** estimate − twin_realised. */
  readonly error: number;
  readonly relative_error: number;
  readonly ci_covers_truth: boolean;
  /** Whether the interval covers twin_expected: the same truth without the noise of its click draws (click reward). */
  readonly ci_covers_twin_expected: boolean | null;
  /** estimate − logged_contexts_expected (null without that truth). */
  readonly error_vs_logged_contexts: number | null;
}

export interface OpeReport {
  readonly scenario: string;
  readonly seed: number;
  readonly reward: Reward;
  readonly unit: string;
  readonly eval_window: { readonly from: number; readonly to: number };
  readonly logging: { readonly policy: string; readonly slates: number; readonly impressions: number; readonly realised_value: number };
  readonly target: { readonly policy: string };
  readonly truth: {
    readonly twin_realised: number;
    readonly twin_realised_se: number;
    readonly twin_slates: number;
    readonly twin_expected: number | null;
    readonly logged_contexts_expected: number | null;
    /** The target's items put one slot at a time into the logged slates: what item-position estimators converge to. */
    readonly logged_contexts_slotwise: number | null;
  };
  readonly twin_check: { readonly epochs_before_switch: number; readonly identical_before_switch: boolean; readonly target_logged_in_twin: boolean };
  readonly estimators: readonly EstimatorRow[];
  /** Slate estimators that cannot run on this log and target, and why. */
  readonly estimators_unavailable: readonly { readonly estimator: SlateEstimatorName; readonly why: string }[];
  readonly diagnostics: WeightDiagnostics & {
    readonly reward_model: string;
    /** The slate logit behind logit_dm and logit_dr (null when it cannot be fitted). */
    readonly slate_model: string | null;
    /** Logged slates the target would have served whole (null without whole-slate probabilities). */
    readonly slate_matches: number | null;
  };
  /** The target's ranking (at the switch) against what each user clicked in the logging run's evaluation window. */
  readonly offline_ranking: RankingScores | null;
  readonly settings: Pick<OpeConfig, 'eval_days' | 'popularity_window' | 'bootstrap' | 'confidence' | 'k'>;
}

/** Thrown for settings that cannot work with this scenario (shown as a user error). */
export class OpeSettingsError extends Error {
  override readonly name = 'OpeSettingsError';
}

interface RunCapture {
  readonly arm: OpeArm;
  /** Impressions of the epochs in [recordFrom, switch): popularity counts and the reward model. */
  readonly fitBuffers: ImpressionBuffer[];
  /** Impressions of the evaluation epochs (by epoch: a batch flushed at the switch still belongs before it). */
  readonly evalBuffers: ImpressionBuffer[];
  readonly digestsBeforeSwitch: string[];
}

export async function evaluateOffPolicy(scenario: Scenario, onPhase: (phase: string) => void = () => {}): Promise<OpeReport> {
  const ope = opeConfigOf(scenario.ope);
  const plan = planWindows(scenario, ope);
  onPhase('logging world');
  const logged = await runArm(scenario, ope, plan, 'logging');
  onPhase('twin world');
  const twin = await runArm(scenario, ope, plan, 'twin');
  onPhase('estimating');

  const built = logged.arm.target;
  if (!built) throw new Error('the target was never fitted: the switch epoch did not end');
  const contextOf = (arm: OpeArm) => (slateId: number, userId: number, time: number) => {
    const catalogSize = arm.catalogSizes.get(slateId);
    if (catalogSize === undefined) throw new Error(`slate ${slateId} was not recorded`);
    return { slateId, userId, time, catalogSize };
  };
  const all = { reward: ope.reward, since: -Infinity, until: Infinity, context: contextOf(logged.arm) };
  const evalLog = slateLogFromImpressions(logged.evalBuffers, all);
  const fitLog = slateLogFromImpressions(logged.fitBuffers, { ...all, since: plan.recordFrom });
  if (evalLog.contexts.length === 0) throw new OpeSettingsError('the logging run served no slates in the evaluation window');
  const model = FactorisedRewardModel.fit(fitLog);
  const weighed = weighLog(evalLog, built.policy);
  const result = estimateWeighedValue(weighed, model, {
    bootstrap: ope.bootstrap,
    confidence: ope.confidence,
    rng: new Rng(`${scenario.seed}/ope/bootstrap`),
    refit: { log: fitLog, fit: (log, weights) => FactorisedRewardModel.fit(log, {}, weights) },
  });

  const realised = perSlateValue(twin.evalBuffers, ope.reward);
  const loggingValue = perSlateValue(logged.evalBuffers, ope.reward);
  const clickTruth = ope.reward === 'click';
  const twinExpected = clickTruth && twin.arm.probe.slates > 0 ? twin.arm.probe.expectedClicks / twin.arm.probe.slates : null;
  const onLog = clickTruth && logged.arm.probe.slates > 0 ? logged.arm.probe.expectedClicks / logged.arm.probe.slates : null;
  const slotwise = clickTruth && logged.arm.probe.slates > 0 ? logged.arm.probe.slotwiseClicks / logged.arm.probe.slates : null;

  const design = ope.logging !== 'scenario' && ope.logging.policy === 'uniform' ? 'uniform_without_replacement' : 'unknown';
  const slate = estimateSlateValue(weighed, built.policy, {
    design,
    fitLog,
    bootstrap: ope.bootstrap,
    confidence: ope.confidence,
    rng: new Rng(`${scenario.seed}/ope/slate-bootstrap`),
    seed: `${scenario.seed}/ope/slate-draws`,
    resample: 'users',
  });
  const choiceModel = 'choice' in scenario.world ? scenario.world.choice.model : 'none';
  const row = (name: AnyEstimatorName, e: Estimate): EstimatorRow => {
    const error = e.value - realised.mean;
    return {
      estimator: name,
      estimate: e.value,
      ci_lo: e.lo,
      ci_hi: e.hi,
      se: e.se,
      error,
      relative_error: error / realised.mean,
      ci_covers_truth: e.lo <= realised.mean && realised.mean <= e.hi,
      ci_covers_twin_expected: twinExpected === null ? null : e.lo <= twinExpected && twinExpected <= e.hi,
      error_vs_logged_contexts: onLog === null ? null : e.value - onLog,
      ...checkAssumption(name, choiceModel, design === 'uniform_without_replacement'),
    };
  };
  const estimators = [
    ...ESTIMATORS.map((name) => row(name, result.estimates[name])),
    ...SLATE_ESTIMATORS.flatMap((name) => {
      const e = slate.estimates[name];
      return e ? [row(name, e)] : [];
    }),
  ];
  const unavailable = SLATE_ESTIMATORS.flatMap((name) => {
    const why = slate.unavailable[name];
    return why === undefined ? [] : [{ estimator: name, why }];
  });

  const twinTargetSlates = countTopSlots(twin.evalBuffers, built.policy.name);
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    reward: ope.reward,
    unit: `mean ${ope.reward} reward per slate (sum over slots), evaluation window`,
    eval_window: { from: plan.switchTime, to: scenario.horizon.days },
    logging: {
      policy: describePolicy(ope.logging, scenario.recommender.kind),
      slates: result.slates,
      impressions: result.impressions,
      realised_value: loggingValue.mean,
    },
    target: { policy: built.policy.name },
    truth: {
      twin_realised: realised.mean,
      twin_realised_se: realised.se,
      twin_slates: realised.slates,
      twin_expected: twinExpected,
      logged_contexts_expected: onLog,
      logged_contexts_slotwise: slotwise,
    },
    twin_check: {
      epochs_before_switch: logged.digestsBeforeSwitch.length,
      identical_before_switch:
        logged.digestsBeforeSwitch.length === twin.digestsBeforeSwitch.length &&
        logged.digestsBeforeSwitch.every((d, k) => d === twin.digestsBeforeSwitch[k]),
      target_logged_in_twin: twinTargetSlates === realised.slates && realised.slates > 0,
    },
    estimators,
    estimators_unavailable: unavailable,
    diagnostics: {
      ...result.diagnostics,
      reward_model: `${model.name}, fitted on [${plan.recordFrom}, ${plan.switchTime})`,
      slate_model: slate.model === null ? null : `${slate.model}, fitted on [${plan.recordFrom}, ${plan.switchTime})`,
      slate_matches: slate.slateMatches,
    },
    offline_ranking: offlineRanking(built.ranking, logged, plan, evalLog.contexts[0].catalogSize, scenario.recommender.slate_size, ope.k),
    settings: { eval_days: ope.eval_days, popularity_window: ope.popularity_window, bootstrap: ope.bootstrap, confidence: ope.confidence, k: ope.k },
  };
}

interface WindowPlan {
  readonly switchTime: number;
  readonly recordFrom: number;
  readonly switchEpoch: number;
}

function planWindows(scenario: Scenario, ope: OpeConfig): WindowPlan {
  const { horizon, recommender } = scenario;
  const { every, window } = recommender.retrain;
  const switchTime = horizon.days - ope.eval_days;
  if (!(switchTime > 0)) throw new OpeSettingsError(`ope.eval_days (${ope.eval_days}) must be shorter than the horizon (${horizon.days} days)`);
  const switchEpoch = Math.round(switchTime / every);
  if (Math.abs(switchEpoch * every - switchTime) > 1e-9 * Math.max(1, switchTime)) {
    throw new OpeSettingsError(
      `the evaluation window must start at a retrain: horizon.days − ope.eval_days (${switchTime}) is not a multiple of recommender.retrain.every (${every})`,
    );
  }
  if (ope.popularity_window > window + 1e-9) {
    throw new OpeSettingsError(`ope.popularity_window (${ope.popularity_window}) is longer than recommender.retrain.window (${window}), which bounds the log kept`);
  }
  return { switchTime: switchEpoch * every, recordFrom: switchEpoch * every - ope.popularity_window, switchEpoch };
}

async function runArm(scenario: Scenario, ope: OpeConfig, plan: WindowPlan, role: 'logging' | 'twin'): Promise<RunCapture> {
  const { world, context: ctx, metrics, settings } = buildEnvironment(scenario);
  const logging: Recommender =
    ope.logging === 'scenario'
      ? buildRecommender(scenario.recommender, ctx, () => world)
      : loggingPolicy(ope.logging, ctx.catalog, ctx.slateSize, ctx.streams.stream('ope-logging'), ope.popularity_window, `${scenario.seed}/ope-logging`);
  const arm = new OpeArm({
    role,
    switchTime: plan.switchTime,
    // A slate shown at or after recordFrom was requested at most one batch window (≤ one retrain period) earlier.
    recordFrom: plan.recordFrom - scenario.recommender.retrain.every,
    logging,
    target: (log, now) => buildOpePolicy(ope.target, log, now, ope.popularity_window, `${scenario.seed}/ope-target`),
    catalog: ctx.catalog,
    slateSize: ctx.slateSize,
    rng: ctx.streams.stream('ope-target'),
    truth: ope.reward === 'click' ? { world, shownAt: shownAtFor(scenario) } : undefined,
  });
  const sim = new Simulation({ world, recommender: arm, metrics, settings, arm: role });
  const fitBuffers: ImpressionBuffer[] = [];
  const evalBuffers: ImpressionBuffer[] = [];
  const digestsBeforeSwitch: string[] = [];
  await sim.run((result) => {
    if (result.bounds.epoch >= plan.switchEpoch) evalBuffers.push(result.impressions);
    else {
      digestsBeforeSwitch.push(impressionDigest(result.impressions));
      if (result.bounds.end > plan.recordFrom + 1e-9) fitBuffers.push(result.impressions);
    }
  });
  return { arm, fitBuffers, evalBuffers, digestsBeforeSwitch };
}

function loggingPolicy(
  config: Exclude<OpeConfig['logging'], 'scenario'>,
  catalog: PublicCatalog,
  slateSize: number,
  rng: Rng,
  windowDays: number,
  seed: string,
): PolicyRecommender {
  // Before the first retrain the log is empty: popularity falls back to the newest items.
  const initial = buildOpePolicy(config, new TrainingLog(windowDays), 0, windowDays, seed).policy;
  return new PolicyRecommender(initial, catalog, slateSize, rng, (log, now) => buildOpePolicy(config, log, now, windowDays, seed).policy);
}

/** When a request made at t is shown: at the end of its batch window, as the loop serves it. */
function shownAtFor(scenario: Scenario): (t: number) => number {
  const w = scenario.schedule.kind === 'continuous' ? scenario.schedule.batch_window : 0;
  return w > 0 ? (t) => (Math.floor(t / w) + 1) * w : (t) => t;
}

/** The target's ranking for a first request at the switch (catalog as of the first evaluated slate). */
function offlineRanking(
  ranking: Ranking | undefined,
  logged: RunCapture,
  plan: WindowPlan,
  sizeAtSwitch: number,
  slateSize: number,
  k: number,
): RankingScores | null {
  if (!ranking) return null;
  const relevant = clickedByUser(logged.evalBuffers, -Infinity, Infinity);
  const cases = [...relevant].map(([userId, items]) => ({
    ranked: [...ranking.top({ slateId: -1, userId, time: plan.switchTime, catalogSize: sizeAtSwitch, slateSize }, Math.max(k, slateSize))],
    relevant: items,
  }));
  return meanRankingScores(cases, k);
}
