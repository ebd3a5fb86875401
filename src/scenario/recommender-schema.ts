/**
 * The recommender section of a scenario: one `kind` per recommender, the baselines and the
 * two-stage pipeline, plus the parts every kind shares (slate size, retraining, start-up,
 * exploration).
 */
import { z } from 'zod';
import { count, duration, positive, positiveCount, positiveDuration, probability, rate } from '../settings/fields.js';
import { exploration } from './exploration-schema.js';
import { candidateSourceEntry } from '../recommender/sources/registry.js';
import { twoTowerSection } from '../recommender/two-tower/config.js';
import { RANKER_HEADS } from '../recommender/ranking/heads.js';

export { RANKER_HEADS, type RankerHead } from '../recommender/ranking/heads.js';

const retrain = z
  .strictObject({
    every: positiveDuration.prefault(1),
    window: positiveDuration.prefault(14),
  })
  .prefault({});

/** How the final slate is chosen from the ordered candidates (one option per policy, declared in each policy's file: src/recommender/explore/registry.ts). */
export { exploration };

const common = {
  slate_size: positiveCount.default(10),
  retrain,
  /**
   * Uniformly random slates for this long before the recommender takes over, so its first
   * training log is not empty (the start-up period of Chaney et al. 2018).
   */
  random_startup: duration.prefault(0),
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

/** One validated entry of `candidates`, discriminated by `source` (each source declares its own: src/recommender/sources/registry.ts). */
export type { CandidateSourceConfig } from '../recommender/sources/registry.js';

const ranker = z
  .strictObject({
    model: z.enum(['dcn_v2', 'mmoe'], { error: 'expected dcn_v2 or mmoe' }).default('dcn_v2'),
    heads: z
      .array(z.enum(RANKER_HEADS, { error: `expected one of ${RANKER_HEADS.join(', ')}` }))
      .min(1, 'expected at least one head')
      .default(['click', 'watch', 'complete', 'like', 'survey']),
    cross_layers: positiveCount.default(2),
    hidden: z.array(positiveCount).default([64, 32]),
    /** MMoE only. */
    experts: positiveCount.default(4),
    epochs: positiveCount.default(2),
    batch_size: positiveCount.default(1024),
    learning_rate: positive.default(0.003),
    max_examples: positiveCount.default(300_000),
    /** Weight examples by inverse logged propensity, clipped, to undo what the policy chose to show. */
    ips: z.strictObject({ enabled: z.boolean().default(false), clip: positive.default(10) }).prefault({}),
    calibration: z.enum(['none', 'platt', 'isotonic'], { error: 'expected none, platt or isotonic' }).default('isotonic'),
    /** Share of the log held out to fit calibration and measure it. */
    holdout: probability.default(0.1),
    /**
     * A ranking cascade: a linear pre-ranker distilled from this ranker keeps each request's
     * `keep` best candidates (plus every candidate of the `bypass` sources) for the network to
     * score; the rest are dropped. Absent: the network scores every candidate.
     */
    prerank: z
      .strictObject({
        keep: positiveCount,
        bypass: z.array(z.string()).default(['fresh', 'explore']),
      })
      .optional(),
  })
  .prefault({});

const rerank = z
  .strictObject({
    /** 0 ranks by score alone; higher trades score for dissimilarity to what is already in the slate. */
    mmr_lambda: probability.default(0),
    /** Most items per creator in one slate; 0 for no cap. */
    creator_cap: count.default(0),
    fresh_boost: rate.default(0),
    fresh_age: positiveDuration.prefault(2),
  })
  .prefault({});

export const recommender = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('random'), ...common }),
    z.strictObject({
      kind: z.literal('popularity'),
      ...common,
      /** Popularity counts clicks over this trailing window of the log. */
      window: positiveDuration.prefault(3),
      /** Items the user already clicked are not shown again. */
      exclude_seen: z.boolean().default(true),
    }),
    z.strictObject({ kind: z.literal('oracle'), ...common }),
    /** The exploration policy alone, learning from each round's reward: the recommender of a bandit world (world.kind: bandit). */
    z.strictObject({ kind: z.literal('bandit'), ...common, slate_size: positiveCount.default(1) }),
    z.strictObject({
      kind: z.literal('two_stage'),
      ...common,
      candidates: z
        .array(candidateSourceEntry)
        .min(1, 'expected at least one candidate source')
        .prefault([{ source: 'two_tower' }, { source: 'popularity' }, { source: 'content' }, { source: 'fresh' }]),
      /** Users with fewer past sessions than this get popularity candidates only. */
      new_users: z.strictObject({ popularity_until_sessions: count.default(2) }).prefault({}),
      two_tower: twoTowerSection,
      ranker,
      /** Combination of calibrated head outputs, e.g. `0.5*watch + 0.2*complete + 0.1*like + 0.2*survey`. */
      score: z.string().default('0.3*click + 0.4*watch + 0.1*complete + 0.1*like + 0.1*survey'),
      rerank,
      /** Items the user already clicked in the log window are not shown again. */
      exclude_seen: z.boolean().default(true),
    }),
  ],
  { error: 'expected kind: random, popularity, oracle, bandit or two_stage' },
);
