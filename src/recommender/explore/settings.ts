/** Settings several exploration policies share, as scenario fields. */
import { z } from 'zod';
import { positiveCount } from '../../settings/fields.js';
import { BINARY_REWARDS } from '../../training/rewards.js';

/** The observed reward a learning policy counts as a success (training/rewards.ts). */
export const reward = z.enum(BINARY_REWARDS, { error: `expected one of ${BINARY_REWARDS.join(', ')}` }).default('click');

/** slate: the policy fills the slate's slots; candidate: it adds exploratory candidates before ranking (source `explore`). */
export const stage = z.enum(['slate', 'candidate'], { error: 'expected slate or candidate' }).default('slate');

/**
 * When a learning policy takes in feedback. online: every slate's feedback as it comes; retrain:
 * only at retrain, from the epoch's feedback (as a production bandit updated in batches), so
 * within an epoch the policy is frozen like the models. Default: online at the slate stage; the
 * candidate stage always updates at retrain.
 */
export const UPDATE_CADENCES = ['online', 'retrain'] as const;
export type UpdateCadence = (typeof UPDATE_CADENCES)[number];
export const update = z.enum(UPDATE_CADENCES, { error: 'expected online or retrain' }).optional();

/** Monte-Carlo draws used to estimate a sampled policy's marginal propensities (the choice itself never depends on them). */
export const mcDraws = positiveCount.default(100);

/** Propensity estimates draw from their own stream, so the choices do not depend on mc_draws. */
export const PROPENSITY_STREAM = 'policy/propensity';
/** Candidate-stage explorers draw their candidates from this stream. */
export const CANDIDATE_STREAM = 'policy/candidates';
