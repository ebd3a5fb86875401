/**
 * Checks across fields that the schema cannot express one field at a time. They run on a
 * scenario that already passed the schema, so every value is present and in days.
 */
import { checkRecommender, hasRanker } from '../recommender/registry.js';
import type { ConsistencyProblem, KeyPath } from '../settings/problem.js';
import type { Scenario } from './schema.js';
import { checkAudience } from './audience-check.js';

export type { ConsistencyProblem } from '../settings/problem.js';

/** Relative tolerance for "a whole multiple of" on durations kept as fractions of a day. */
const RELATIVE_TOLERANCE = 1e-9;

const EVERY: KeyPath = ['recommender', 'retrain', 'every'];
const WINDOW: KeyPath = ['recommender', 'retrain', 'window'];
const STEP: KeyPath = ['schedule', 'step'];
const BATCH_WINDOW: KeyPath = ['schedule', 'batch_window'];
const HORIZON: KeyPath = ['horizon', 'days'];

export function checkConsistency(scenario: Scenario): ConsistencyProblem[] {
  const problems: ConsistencyProblem[] = [];
  const { every, window } = scenario.recommender.retrain;
  const { schedule } = scenario;

  if (schedule.kind === 'steps' && !isWholeMultiple(every, schedule.step)) {
    const steps = Math.max(1, Math.round(every / schedule.step));
    problems.push({
      paths: [EVERY, STEP],
      message:
        `recommender.retrain.every (${formatDays(every)}) is not a whole number of steps of schedule.step (${formatDays(schedule.step)}); ` +
        `with kind: steps the recommender retrains between steps, so set recommender.retrain.every to a multiple of ${formatDays(schedule.step)}` +
        (steps > 1 ? ` (e.g. ${formatDays(steps * schedule.step)})` : '') +
        ' or change schedule.step',
    });
  }

  if (schedule.kind === 'continuous' && schedule.batch_window > 0 && !isWholeMultiple(every, schedule.batch_window)) {
    const fit = largestNiceDivisor(every, schedule.batch_window);
    problems.push({
      paths: [BATCH_WINDOW, EVERY],
      message:
        `schedule.batch_window (${formatDays(schedule.batch_window)}) does not divide recommender.retrain.every (${formatDays(every)}) evenly, ` +
        `so a batch would straddle a retrain; choose a batch_window that divides ${formatDays(every)}` +
        (fit === undefined ? '' : ` (e.g. ${formatDays(fit)})`) +
        ' or change recommender.retrain.every',
    });
  }

  if (scenario.horizon.days < every * (1 - RELATIVE_TOLERANCE)) {
    problems.push({
      paths: [HORIZON],
      message:
        `the horizon (${formatDays(scenario.horizon.days)}) is shorter than recommender.retrain.every (${formatDays(every)}), so the recommender would never retrain; ` +
        `set horizon.days to at least ${Number(every.toPrecision(6))} or shorten recommender.retrain.every`,
    });
  }

  if (window < every * (1 - RELATIVE_TOLERANCE)) {
    problems.push({
      paths: [WINDOW, EVERY],
      message:
        `recommender.retrain.window (${formatDays(window)}) is shorter than recommender.retrain.every (${formatDays(every)}), ` +
        `so events logged between retrains would never be trained on; set recommender.retrain.window to at least ${formatDays(every)}`,
    });
  }

  problems.push(...checkAudience(scenario));
  problems.push(...checkLinearFeatures(scenario.recommender));
  problems.push(...checkUpdateCadence(scenario.recommender));
  // The kind's own checks (its declaration: src/recommender/registry.ts).
  problems.push(...checkRecommender(scenario.recommender));

  return problems;
}

/** Linear Thompson sampling on the ranker's layer needs a recommender with a ranker. */
function checkLinearFeatures(recommender: Scenario['recommender']): ConsistencyProblem[] {
  const exploration = recommender.exploration;
  if (exploration.policy !== 'linear_thompson' || exploration.features !== 'ranker' || hasRanker(recommender.kind)) return [];
  return [
    {
      paths: [['recommender', 'exploration', 'features']],
      message: `features: ranker regresses on the ranker's last layer, and a ${recommender.kind} recommender has no ranker; use kind: two_stage, or features: topics`,
    },
  ];
}

/** The candidate stage's posteriors are made at retrain: it has no online updates to ask for. */
function checkUpdateCadence(recommender: Scenario['recommender']): ConsistencyProblem[] {
  const exploration = recommender.exploration;
  if (!('update' in exploration) || exploration.update !== 'online' || !('stage' in exploration) || exploration.stage !== 'candidate') return [];
  return [
    {
      paths: [['recommender', 'exploration', 'update']],
      message: 'the candidate stage draws from posteriors made at each retrain, so it always updates at retrain; update: online applies to stage: slate (or remove update)',
    },
  ];
}

/** True when `total` is n × `unit` for a whole n ≥ 1, within a relative tolerance. */
export function isWholeMultiple(total: number, unit: number): boolean {
  if (!(unit > 0) || !(total > 0)) return false;
  const n = Math.round(total / unit);
  return n >= 1 && Math.abs(total - n * unit) <= RELATIVE_TOLERANCE * total;
}

const UNITS: readonly (readonly [string, number])[] = [
  ['d', 1],
  ['h', 1 / 24],
  ['m', 1 / 1_440],
  ['s', 1 / 86_400],
];

/** Days as a duration a user could write back: `1d`, `12h`, `5m`, `30s`, or `0.3 days` when nothing whole fits. */
export function formatDays(days: number): string {
  if (days === 0) return '0';
  for (const [unit, size] of UNITS) {
    const n = days / size;
    const rounded = Math.round(n);
    if (rounded >= 1 && Math.abs(n - rounded) <= RELATIVE_TOLERANCE * n) return `${rounded}${unit}`;
  }
  return `${Number(days.toPrecision(6))} days`;
}

const NICE_WINDOWS_SECONDS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 14400, 21600, 28800, 43200, 86400];

/** The largest common batch window no longer than `limit` that divides `total`. */
function largestNiceDivisor(total: number, limit: number): number | undefined {
  let best: number | undefined;
  for (const seconds of NICE_WINDOWS_SECONDS) {
    const days = seconds / 86_400;
    if (days <= limit * (1 + RELATIVE_TOLERANCE) && isWholeMultiple(total, days)) best = days;
  }
  return best;
}
