/**
 * The settings of the Chaney, Stewart and Engelhardt (2018) study: the world's sizes and
 * distributions, the recommenders, the training modes and the seeds. One zod schema gives the
 * runtime check and the TypeScript type; defaults are the paper's scale.
 */
import { z } from 'zod';
import { positive, positiveCount, probability } from '../../settings/fields.js';

export const RECOMMENDER_NAMES = ['popularity', 'content', 'matrix_factorisation', 'social', 'random', 'ideal'] as const;
export type RecommenderName = (typeof RECOMMENDER_NAMES)[number];

export const TRAINING_MODES = ['repeated', 'single'] as const;
export type TrainingMode = (typeof TRAINING_MODES)[number];

/** A Dirichlet prior drawn once per world: its parameter vector is Dirichlet(alpha·1) scaled by `scale`. */
const dirichletPrior = (alpha: number, scale: number) =>
  z.strictObject({ alpha: positive.default(alpha), scale: positive.default(scale) }).prefault({});

const worldSchema = z
  .strictObject({
    users: positiveCount.min(2, 'expected at least 2 users (each is paired with another)').default(100),
    attributes: positiveCount.default(20),
    items_per_step: positiveCount.default(10),
    startup_steps: positiveCount.default(10),
    steps: positiveCount.default(100),
    /** μ_ρ: the preferences' Dirichlet parameter; θ_u ~ Dirichlet(μ_ρ). */
    user_preferences: dirichletPrior(1, 10),
    /** μ_α: the attributes' Dirichlet parameter; β_i ~ Dirichlet(μ_α). */
    item_attributes: dirichletPrior(100, 0.1),
    /** Variance of the Beta whose mean is θ_u·β_i (the true utility). */
    utility_variance: positive.default(1e-5),
    /** The fraction of its true utility a user knows: a Beta of this mean and variance. */
    known_fraction: z
      .strictObject({ mean: probability.refine((p) => p > 0 && p < 1, 'expected a mean strictly between 0 and 1').default(0.98), variance: positive.default(1e-5) })
      .prefault({}),
    /** γ in the rank discount r^-γ a user weighs the item at rank r by. */
    rank_discount: positive.default(0.8),
  })
  .prefault({});

const settingsSchema = z
  .strictObject({
    matrix_factorisation: z
      .strictObject({
        factors: positiveCount.default(10),
        regularisation: positive.default(0.1),
        /** c = 1 + confidence for a consumed item, 1 otherwise (implicit-feedback ALS). */
        confidence: positive.default(10),
        /** ALS sweeps per training, each starting from the last training's factors. */
        sweeps: positiveCount.default(4),
      })
      .prefault({}),
    social: z.strictObject({ friends: positiveCount.default(5) }).prefault({}),
    content: z.strictObject({ sweeps: positiveCount.default(50) }).prefault({}),
  })
  .prefault({});

export const chaneySchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a name of letters, digits, ".", "_" or "-" (it names the output folder)'),
  study: z.literal('chaney2018', { error: 'expected study: chaney2018' }),
  seeds: z.strictObject({ first: z.number().int('expected a whole number').default(1), count: positiveCount.default(10) }).prefault({}),
  world: worldSchema,
  recommenders: z
    .array(z.enum(RECOMMENDER_NAMES))
    .min(1, 'expected a list of at least 1 recommender')
    .default([...RECOMMENDER_NAMES])
    .refine((names) => new Set(names).size === names.length, 'expected each recommender once')
    .refine((names) => names.includes('ideal'), 'expected ideal among the recommenders (every result is relative to it)'),
  training: z
    .array(z.enum(TRAINING_MODES))
    .min(1, 'expected a list of at least 1 training mode')
    .default([...TRAINING_MODES])
    .refine((modes) => new Set(modes).size === modes.length, 'expected each training mode once'),
  settings: settingsSchema,
});

export type ChaneyConfig = z.output<typeof chaneySchema>;
export type ChaneyWorldConfig = ChaneyConfig['world'];
export type ChaneySettings = ChaneyConfig['settings'];
