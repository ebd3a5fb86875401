/**
 * `world: { kind: bandit }`: a plain K-armed Bernoulli bandit that runs the exploration policies
 * without the two-stage pipeline (src/bandit). The population world stays the default kind.
 */
import { z } from 'zod';
import { count, pair, positive, positiveCount, probability } from '../settings/fields.js';

/** Where arm means come from: Beta(a, b), or a hidden logistic model of public arm features. */
const meanDistribution = z.union(
  [
    z.strictObject({ beta: pair(positive, 'alpha, beta') }),
    z.strictObject({
      /** mean = sigmoid(scale · x·w) for public features x ~ N(0, I/dim) and a hidden unit vector w. */
      logistic: z.strictObject({ dim: positiveCount.default(8), scale: positive.default(4) }).prefault({}),
    }),
  ],
  { error: 'expected { beta: [alpha, beta] } or { logistic: { dim, scale } }' },
);

const arms = z.union(
  [
    z.array(probability).min(2, 'expected at least two arms'),
    z.strictObject({ count: positiveCount.min(2, 'expected at least two arms'), means: meanDistribution.prefault({ beta: [1, 1] }) }),
  ],
  { error: 'expected a list of arm means such as [0.1, 0.5, 0.9], or a mapping such as { count: 10, means: { beta: [1, 1] } }' },
);

export const banditWorld = z.strictObject({
  kind: z.literal('bandit'),
  /** Bernoulli arms: their means as a list, or a count with means drawn by seed. */
  arms,
  rounds: positiveCount.default(10_000),
  /** Every `every` rounds, `count` arms retire and as many new ones arrive (means from `means`, else from arms.means, else Beta(1, 1)). */
  replacement: z
    .strictObject({
      every: positiveCount,
      count: positiveCount.default(1),
      retire: z.enum(['random', 'oldest'], { error: 'expected random or oldest' }).default('random'),
      means: meanDistribution.optional(),
    })
    .optional(),
  /** A round's reward reaches the policy only after this many further rounds. */
  delay: z.strictObject({ rounds: count.default(0) }).prefault({}),
  /** Rounds per metrics row; default: rounds / 100 (at least 1). */
  report_every: positiveCount.optional(),
});

export type BanditWorldInput = z.input<typeof banditWorld>;
export type MeanDistribution = z.output<typeof meanDistribution>;
