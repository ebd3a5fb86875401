/** The scenario blocks the two-tower source is built from. */
import { z } from 'zod';
import { positive, positiveCount, positiveDuration } from '../../settings/fields.js';
import type { AnnConfig } from '../retrieval/build.js';
import { onDivergence } from '../../settings/divergence.js';

/** The `{ source: two_tower, k, ann }` entry of `candidates` (its declaration is in source.ts). */
export interface TwoTowerSourceConfig {
  readonly source: 'two_tower';
  readonly k: number;
  readonly ann: AnnConfig;
}

/** The two_stage recommender's `two_tower` block: model size, history pooling and training. */
export const twoTowerSection = z
  .strictObject({
    dim: positiveCount.default(32),
    /** Most recent watched items pooled in the user tower. */
    history: positiveCount.default(20),
    /** Recency weighting of the pooled history. */
    history_half_life: positiveDuration.prefault(3),
    epochs: positiveCount.default(1),
    batch_size: positiveCount.default(512),
    learning_rate: positive.default(0.01),
    temperature: positive.default(0.1),
    /** Subtract log of each item's sampling probability from in-batch logits (popular items are over-sampled negatives). */
    logq_correction: z.boolean().default(true),
    warm_start: z.boolean().default(true),
    /**
     * Which clicks each retrain learns from: `window`, the most recent `max_examples` of the log
     * window; `new_epoch`, only those of the epoch just ended (incremental, for a warm-started
     * model). Histories are replayed from the whole window either way.
     */
    train_on: z.enum(['window', 'new_epoch'], { error: 'expected window or new_epoch' }).default('window'),
    /** Most recent positives used per retrain. */
    max_examples: positiveCount.default(200_000),
    on_divergence: onDivergence,
  })
  .refine((c) => c.warm_start || c.train_on === 'window', {
    message: 'train_on: new_epoch needs warm_start: true (a cold model would learn from one epoch only)',
    path: ['train_on'],
  })
  .prefault({});
export type TwoTowerConfig = z.output<typeof twoTowerSection>;
