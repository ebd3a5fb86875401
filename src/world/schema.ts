/**
 * The population world's section of a scenario (`world:` with kind population): items, affinity,
 * response, and the user model and choice model, each one option per registered model. Defined
 * beside the world that reads it, so the world takes its configuration type from its own layer;
 * src/scenario/schema.ts plugs it in next to the bandit world.
 */
import { z } from 'zod';
import { count, pair, positive, positiveCount, probability, rate } from '../settings/fields.js';
import { choiceSchema } from './choice/registry.js';
import { usersSchema } from './user-models/registry.js';

const items = z
  .strictObject({
    count: count.default(2000),
    uploads_per_day: rate.default(0),
    creators: positiveCount.default(200),
    /** Creators who join during the run, a day (a Poisson process); they share in the uploads from their join on. */
    new_creators_per_day: rate.default(0),
    /** At most this many topic tags per item; the true mixture is sparse over them. */
    topics_per_item: positiveCount.default(2),
    quality: z.strictObject({ beta: pair(positive, 'alpha, beta') }).prefault({ beta: [2, 2] }),
    clickbait_share: probability.default(0.1),
    length_minutes: z
      .strictObject({ lognormal: pair(z.number(), 'mu, sigma') })
      .prefault({ lognormal: [1.5, 0.8] }),
  })
  .prefault({});

const affinity = z
  .strictObject({
    topic_weight: rate.default(2),
    latent_weight: rate.default(0.6),
    quality_weight: rate.default(1),
    /** Extra click appeal of clickbait items, which does not add to satisfaction. */
    clickbait_appeal: rate.default(1.5),
  })
  .prefault({});

const response = z
  .strictObject({
    /** Chance a watched item is followed by a survey answer. */
    survey_rate: probability.default(0.05),
    /** Chance of a like for an item of neutral utility; rises with utility. */
    like_base: probability.default(0.02),
    completion_threshold: probability.default(0.9),
  })
  .prefault({});

export const populationWorld = z.strictObject({
  kind: z.literal('population').default('population'),
  topics: positiveCount.default(20),
  /** Zipf exponent of how common each topic is among users' tastes and creators' catalogues; 0: all alike (world/topic-prior.ts). */
  topic_skew: rate.default(0),
  latent_dim: positiveCount.default(8),
  /** Who is in the population and how they behave: one option per user model (world/user-models). */
  users: usersSchema,
  items,
  affinity,
  /** How users pick from a slate: one option per choice model (world/choice). */
  choice: choiceSchema,
  response,
});

/** A validated population world with every default filled; durations are in days. */
export type WorldConfig = z.output<typeof populationWorld>;
