/**
 * The one definition of a scenario: the zod schema gives both the runtime check and the
 * TypeScript type. Every object is strict (unknown keys are errors) and every field that
 * can have a sensible default has one, so a scenario file only says what it changes.
 */
import { z } from 'zod';
import { FOLDER_NAME, FOLDER_NAME_WHY } from './folder-name.js';
import { duration, positive, positiveCount, positiveDuration } from '../settings/fields.js';
import { experiment } from './experiment-schema.js';
import { opeSection } from './ope-schema.js';
import { reportSection } from './report-schema.js';
import { recommender } from './recommender-schema.js';
import { banditWorld } from './bandit-schema.js';
import { checkWorldKind } from './world-kind.js';
import { METRIC_SETTINGS } from '../metrics/registry.js';
import { populationWorld, type WorldConfig } from '../world/schema.js';

const continuousSchedule = z.strictObject({
  kind: z.literal('continuous'),
  /** Requests inside one window are served in one batch; 0 serves each request on its own. */
  batch_window: duration.prefault(0),
});

const stepsSchedule = z.strictObject({
  kind: z.literal('steps'),
  /** Simulated time one step stands for; every active user makes one request per step. */
  step: positiveDuration.prefault(1),
});

const schedule = z.discriminatedUnion('kind', [continuousSchedule, stepsSchedule], {
  error: 'expected kind: continuous or kind: steps',
});

/** The population world (users and items) by default; a plain K-armed bandit with kind: bandit. */
const world = z
  .discriminatedUnion('kind', [populationWorld, banditWorld], { error: 'expected kind: population or bandit' })
  .prefault({});

const logs = z
  .strictObject({
    impressions: z.boolean().default(true),
  })
  .prefault({});

/** Each metric family declares its own settings (src/metrics/registry.ts). */
const metrics = z.strictObject(METRIC_SETTINGS).prefault({});

export const scenarioSchema = z.strictObject({
  /** Names the output folder (output/<name>), so it may not climb out of it (`..`) or hide (`.name`). */
  name: z.string().regex(FOLDER_NAME, `expected a name of letters, digits, dot, dash or underscore that does not start with a dot (it names the output folder: ${FOLDER_NAME_WHY})`),
  description: z.string().default(''),
  seed: z.number().int('expected a whole number').default(1),
  /** Required by the population world; a bandit world runs world.rounds rounds instead. */
  horizon: z.strictObject({ days: positive }).optional(),
  schedule: schedule.prefault({ kind: 'continuous' }),
  world,
  recommender,
  logs,
  metrics,
  /** Seeds per arm when arms are compared (`recloop compare`): seed, seed + 1, ... */
  replicas: positiveCount.default(1),
  experiment,
  /** Off-policy evaluation settings for `recloop ope`; optional, ignored by `run`. */
  ope: opeSection.optional(),
  /** What the report draws beyond its defaults (a sweep's frontier metrics); optional, ignored by runs. */
  report: reportSection.optional(),
})
  // Runs even when other fields have problems, so a missing horizon is reported with them.
  .superRefine(checkWorldKind, { when: () => true });

/** A scenario as written (defaults optional). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** What the schema returns, before the world kind is told apart (see classifyScenario). */
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type BanditWorldConfig = Extract<ParsedScenario['world'], { kind: 'bandit' }>;
export type RecommenderConfig = ParsedScenario['recommender'];
export type BanditRecommenderConfig = Extract<RecommenderConfig, { kind: 'bandit' }>;
/** A validated population-world scenario (the default) with every default filled; durations are in days. */
export type Scenario = Omit<ParsedScenario, 'world' | 'horizon'> & {
  world: WorldConfig;
  horizon: NonNullable<ParsedScenario['horizon']>;
};
/** A validated bandit-world scenario: no horizon, and the exploration policy alone as recommender. */
export type BanditScenario = Omit<ParsedScenario, 'world' | 'horizon' | 'recommender'> & {
  world: BanditWorldConfig;
  horizon?: undefined;
  recommender: BanditRecommenderConfig;
};
export type AnyScenario = Scenario | BanditScenario;
export type ScheduleConfig = Scenario['schedule'];
export type { WorldConfig };
export type { ExperimentConfig } from './experiment-schema.js';
