/**
 * The optional `ope:` section of a scenario, read by `recloop ope`: which policy logs, which
 * target policy is evaluated, how long the evaluation window is, and the estimator settings.
 * Absent from a scenario, it stays absent (runs are unchanged) and `recloop ope` uses the defaults.
 * (src/ope reads it; src/scenario/schema.ts plugs it in. It lives with the scenario's sections,
 * below the layers that run OPE, so the scenario imports nothing above it.)
 */
import { z } from 'zod';
import { positiveCount, positiveDuration, probability } from '../settings/fields.js';
import { exploration } from './exploration-schema.js';
import { REWARDS } from '../training/rewards.js';

/**
 * A popularity ranking (clicks over `popularity_window`) with any slate-stage exploration policy
 * the recommender serves drawing the slate from its top `pool` items, fitted on the log at the
 * switch. Not linear_thompson (it reads request features a log does not keep) and not the
 * candidate stage (its randomness is in retrieval, outside the slot distributions).
 */
const popularityPolicy = z
  .strictObject({
    policy: z.literal('popularity'),
    exploration,
    /** Candidates the exploration policy chooses among: the ranking's top `pool` (default: the slate size). */
    pool: positiveCount.optional(),
  })
  .superRefine((config, ctx) => {
    const { exploration: e } = config;
    if (e.policy === 'linear_thompson') {
      ctx.addIssue({ code: 'custom', path: ['exploration', 'policy'], message: 'linear_thompson cannot be an OPE policy: it reads request features the log does not keep; compare it online with recloop compare' });
    } else if ('stage' in e && e.stage === 'candidate') {
      ctx.addIssue({ code: 'custom', path: ['exploration', 'stage'], message: 'an OPE policy explores at the slate stage: candidate-stage exploration has no slot distributions' });
    }
  });

/** A policy OPE can state per-slot probabilities for. `epsilon_greedy` is short for popularity with ε-greedy over the catalog. */
export const opePolicy = z.discriminatedUnion(
  'policy',
  [
    z.strictObject({ policy: z.literal('uniform') }),
    popularityPolicy,
    z.strictObject({ policy: z.literal('epsilon_greedy'), epsilon: probability.default(0.1) }),
  ],
  { error: 'expected policy: uniform, popularity or epsilon_greedy' },
);
export type OpePolicyConfig = z.output<typeof opePolicy>;

export const opeSection = z
  .strictObject({
    /** `scenario`: the scenario's recommender logs, with the propensities it states; or one of the OPE policies. */
    logging: z.union([z.literal('scenario'), opePolicy], { error: 'expected scenario or a policy (uniform, popularity, epsilon_greedy)' }).default('scenario'),
    /** Evaluated offline from the logging run's last `eval_days`, and run online over the same days in the twin world. */
    target: opePolicy.prefault({ policy: 'popularity' }),
    /** Length of the evaluation window at the end of the horizon; a whole number of retrain periods. */
    eval_days: positiveDuration.prefault(1),
    /** Clicks over this window before the evaluation window rank items for popularity policies and fit the direct method's model. */
    popularity_window: positiveDuration.prefault(3),
    reward: z.enum(REWARDS, { error: `expected one of ${REWARDS.join(', ')}` }).default('click'),
    /** Bootstrap replicates (slates resampled) for the confidence intervals. */
    bootstrap: positiveCount.min(2, 'expected at least 2 bootstrap replicates').default(200),
    confidence: probability.default(0.95),
    /** Cut-off of the offline ranking metrics (NDCG@k, recall@k). */
    k: positiveCount.default(10),
  });
export type OpeConfig = z.output<typeof opeSection>;

/** The section with every default, for scenarios that have none. */
export function opeConfigOf(section: OpeConfig | undefined): OpeConfig {
  return section ?? opeSection.parse({});
}
