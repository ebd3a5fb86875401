/**
 * The `experiment` section: arms written as partial overrides of the `recommender` section,
 * compared in twin worlds (each arm in its own copy of the same world: common random numbers)
 * or split by user inside one world. Here each arm is kept as written (a loose mapping);
 * ./experiment-check.ts merges it with the base recommender and validates the result exactly
 * like the base, reporting problems at the arm's own lines.
 */
import { z } from 'zod';
import { duration, probability, rate } from '../settings/fields.js';

export const EXPERIMENT_DESIGNS = ['twin_worlds', 'user_split'] as const;
export type ExperimentDesign = (typeof EXPERIMENT_DESIGNS)[number];

/** An arm: overrides of `recommender` (any of its keys), plus its traffic share in a user split. */
const arm = z.looseObject({
  /** user_split only: share of users on this arm; arms without one share what is left equally. */
  traffic: probability.refine((share) => share > 0, 'expected a share above 0 and at most 1').optional(),
});

/**
 * Most worsening allowed against the control before a guardrail is flagged. A bare number is
 * relative (0.05: 5% worse than the control's mean); `{ absolute: 0.02 }` is in the metric's
 * own units. `better` gives the direction of a metric the built-in table does not know.
 */
const guardrail = z.union(
  [
    rate,
    z.strictObject({
      relative: rate.optional(),
      absolute: rate.optional(),
      better: z.enum(['higher', 'lower'], { error: 'expected higher or lower' }).optional(),
    }),
  ],
  { error: 'expected a relative threshold such as 0.05 (5% worse than the control), or a mapping such as { absolute: 0.02 }' },
);

export const experiment = z
  .strictObject({
    design: z.enum(EXPERIMENT_DESIGNS, { error: 'expected twin_worlds or user_split' }).default('twin_worlds'),
    /** Name of the arm the others are compared with. */
    control: z.string({ error: 'expected the name of one of the arms' }),
    arms: z.record(z.string(), arm).refine((arms) => Object.keys(arms).length > 0, 'expected at least one arm'),
    guardrails: z.record(z.string(), guardrail).default({}),
    /**
     * user_split only: a long-term holdback, an extra arm named `holdback` that runs the
     * control's recommender on this share of users for the whole horizon and always trains on
     * its own traffic only, so it shows the system untouched by the experiment.
     */
    holdback: z.strictObject({ traffic: probability.refine((share) => share > 0, 'expected a share above 0 and at most 1') }).optional(),
    /** user_split only: every arm's model trains on all traffic (arms leak into each other) instead of its own. */
    pooled_training: z.boolean().default(false),
    /** Epochs that end at or before this time are left out of each replica's figure (burn-in). */
    measure_from: duration.prefault(0),
  })
  .optional();

export type ExperimentConfig = NonNullable<z.output<typeof experiment>>;
export type GuardrailInput = z.output<typeof guardrail>;
