import { loadScenario } from '../src/scenario/index.js';
import type { Scenario } from '../src/scenario/index.js';

/**
 * The loop benchmark's cases: shipped scenarios with `--set` overrides. `days` caps a case's
 * measured horizon (the rest is projected, as a floor, from the last measured day and labelled so); `slow`
 * cases run only with `--all` or when named.
 */
export interface BenchCase {
  readonly name: string;
  readonly scenario: string;
  readonly overrides: readonly string[];
  /** What the case stands for, in the results table. */
  readonly label: string;
  /** Measure only the first `days` simulated days of a long horizon. */
  readonly days?: number;
  /** Threads the run is split over (`recloop run --workers`); the phases are then the main thread's. */
  readonly workers?: number;
  readonly slow?: boolean;
}

const TWO_STAGE = 'scenarios/two-stage.yaml';
const POPULARITY = 'scenarios/popularity.yaml';

/** T-RECS's setting: every user asks for one slate per step, popularity retrains every step, slates of 10. */
function trecs(users: number, items: number, steps: number): readonly string[] {
  return [
    'schedule={kind: steps, step: 1d}',
    'recommender.retrain={every: 1d, window: 14d}',
    'recommender.random_startup=0d',
    'recommender.slate_size=10',
    `horizon.days=${steps}`,
    `world.users.count=${users}`,
    'world.users.signups_per_day=0',
    `world.items.count=${items}`,
    'world.items.uploads_per_day=0',
  ];
}

const MEDIUM = [
  'world.users.count=20000',
  'world.users.signups_per_day=200',
  'world.items.count=50000',
  'world.items.uploads_per_day=1000',
  'horizon.days=60',
  'recommender.exploration={policy: thompson, stage: candidate}',
];
const LARGE = ['world.users.count=100000', 'world.users.signups_per_day=1000', 'world.items.count=200000', 'world.items.uploads_per_day=4000', 'horizon.days=30'];

export const CASES: readonly BenchCase[] = [
  { name: 'popularity', scenario: POPULARITY, overrides: [], label: 'popularity: 3k users, 3k items, 30 days' },
  { name: 'two-stage', scenario: TWO_STAGE, overrides: [], label: 'two-stage: 2k users, 2k items, 14 days' },
  { name: 'two-stage-2t', scenario: TWO_STAGE, overrides: [], label: 'two-stage on 2 threads (phases: the main thread’s)', workers: 2 },
  { name: 'medium', scenario: TWO_STAGE, overrides: MEDIUM, label: 'medium: two-stage + Thompson (candidate stage), 20k users, 50k items, 60 days', days: 4, slow: true },
  { name: 'medium-2t', scenario: TWO_STAGE, overrides: MEDIUM, label: 'medium on 2 threads (phases: the main thread’s)', days: 4, workers: 2, slow: true },
  { name: 'large', scenario: TWO_STAGE, overrides: LARGE, label: 'large: two-stage, 100k users, 200k items, 30 days', days: 3, slow: true },
  { name: 'large-2t', scenario: TWO_STAGE, overrides: LARGE, label: 'large on 2 threads (phases: the main thread’s)', days: 3, workers: 2, slow: true },
  { name: 'trecs-1k', scenario: POPULARITY, overrides: trecs(1000, 1250, 100), label: 'T-RECS setting: popularity, steps, 1k users × 1.25k items × 100 steps' },
  { name: 'trecs-10k', scenario: POPULARITY, overrides: trecs(10_000, 10_000, 50), label: 'T-RECS setting: 10k users × 10k items × 50 steps' },
  { name: 'trecs-100k', scenario: POPULARITY, overrides: trecs(100_000, 50_000, 10), label: 'T-RECS setting: 100k users × 50k items × 10 steps', slow: true },
];

/**
 * A case's scenario as the bench runs it: its overrides, then `sets`, without the impression log,
 * over `days` (default: the case's cap) at most of its horizon, whose length comes back as `totalDays`.
 */
export async function caseScenario(benchCase: BenchCase, sets: readonly string[], days?: number): Promise<{ scenario: Scenario; full: Scenario; days: number; totalDays: number }> {
  const overrides = [...benchCase.overrides, ...sets, 'logs.impressions=false'];
  const full = await loadScenario(benchCase.scenario, overrides);
  const asked = days ?? benchCase.days ?? full.horizon.days;
  if (!Number.isInteger(asked) || asked < 1) throw new Error(`--days: expected a whole number of days ≥ 1, got ${asked}`);
  const measured = Math.min(asked, full.horizon.days);
  return { scenario: await loadScenario(benchCase.scenario, [...overrides, `horizon.days=${measured}`]), full, days: measured, totalDays: full.horizon.days };
}
