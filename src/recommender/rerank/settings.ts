/** The `rerank` block of a two-stage recommender. */
import { z } from 'zod';
import { count, positiveDuration, probability, rate } from '../../scenario/fields.js';

export const rerankSection = z
  .strictObject({
    /** 0 ranks by score alone; higher trades score for dissimilarity to what is already in the slate. */
    mmr_lambda: probability.default(0),
    /** Most items per creator in one slate; 0 for no cap. */
    creator_cap: count.default(0),
    fresh_boost: rate.default(0),
    fresh_age: positiveDuration.prefault(2),
  })
  .prefault({});
