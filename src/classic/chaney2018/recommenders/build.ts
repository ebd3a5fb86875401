/** One recommender of the study by name, built for one world and one run. */
import { RandomStreams } from '../../../rng/index.js';
import type { ChaneySettings, RecommenderName } from '../config.js';
import type { ChaneyWorld } from '../world.js';
import { ContentRecommender } from './content.js';
import { IdealOracleRecommender } from './ideal.js';
import { MatrixFactorisationRecommender } from './matrix-factorisation.js';
import { PopularityRecommender } from './popularity.js';
import { RandomRecommender } from './random.js';
import { SocialRecommender } from './social.js';
import type { ChaneyRecommender } from './types.js';

export interface RecommenderContext {
  readonly world: ChaneyWorld;
  readonly settings: ChaneySettings;
  readonly seed: number;
  /** The social network (friends per user), built once per world. */
  readonly friends: readonly Int32Array[];
}

export function buildRecommender(name: RecommenderName, context: RecommenderContext): ChaneyRecommender {
  const { world, settings } = context;
  switch (name) {
    case 'popularity':
      return new PopularityRecommender();
    case 'content':
      return new ContentRecommender(world, settings.content.sweeps);
    case 'matrix_factorisation':
      // Both training modes start from the same factors, so they differ only in when they train.
      return new MatrixFactorisationRecommender(world.users, world.items, settings.matrix_factorisation, new RandomStreams(context.seed).stream('matrix_factorisation/init'));
    case 'social':
      return new SocialRecommender(context.friends);
    case 'random':
      return new RandomRecommender();
    case 'ideal':
      return new IdealOracleRecommender(world);
  }
}
