/** Settings several exploration policies share, as scenario fields. */
import { z } from 'zod';
import { positiveCount } from '../../settings/fields.js';
import { BINARY_REWARDS } from '../../training/rewards.js';

/** The observed reward a learning policy counts as a success (training/rewards.ts). */
export const reward = z.enum(BINARY_REWARDS, { error: `expected one of ${BINARY_REWARDS.join(', ')}` }).default('click');

/** slate: the policy fills the slate's slots; candidate: it adds exploratory candidates before ranking (source `explore`). */
export const stage = z.enum(['slate', 'candidate'], { error: 'expected slate or candidate' }).default('slate');

/** Monte-Carlo draws used to estimate a sampled policy's marginal propensities (the choice itself never depends on them). */
export const mcDraws = positiveCount.default(100);

/** Propensity estimates draw from their own stream, so the choices do not depend on mc_draws. */
export const PROPENSITY_STREAM = 'policy/propensity';
/** Candidate-stage explorers draw their candidates from this stream. */
export const CANDIDATE_STREAM = 'policy/candidates';
