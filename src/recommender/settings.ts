/** The `recommender` fields every kind takes (slate size, retraining, start-up, exploration, latency budget). */
import { z } from 'zod';
import { duration, positive, positiveCount, positiveDuration } from '../settings/fields.js';
import { exploration } from './explore/registry.js';

const retrain = z
  .strictObject({
    every: positiveDuration.prefault(1),
    window: positiveDuration.prefault(14),
  })
  .prefault({});

export const COMMON_SETTINGS = {
  slate_size: positiveCount.default(10),
  retrain,
  /**
   * Uniformly random slates for this long before the recommender takes over, so its first
   * training log is not empty (the start-up period of Chaney et al. 2018).
   */
  random_startup: duration.prefault(0),
  /** How the final slate is chosen from the ordered candidates (one option per policy: explore/registry.ts). */
  exploration,
  /**
   * Serving budget (p95, milliseconds per request): a number is the whole request's, a mapping
   * per stage (and `total`); reports hold the measured latency against it.
   */
  latency_budget_ms: z
    .union(
      [
        positive,
        z.strictObject({ retrieval: positive.optional(), ranking: positive.optional(), rerank: positive.optional(), total: positive.optional() }),
      ],
      { error: 'expected milliseconds per request (e.g. 80) or per stage (e.g. { retrieval: 10, ranking: 50, rerank: 10 })' },
    )
    .optional(),
};

export type CommonSettings = typeof COMMON_SETTINGS;
