/** `kind: popularity`: the most clicked items of a trailing window, behind the exploration policy. */
import { z } from 'zod';
import { positiveDuration } from '../../settings/fields.js';
import { recommenderKind } from '../component.js';
import { buildExploration, pipelineExplorationContext } from '../explore/build.js';
import { Pipeline } from '../pipeline.js';
import { PopularitySource } from '../sources/popularity.js';

export const POPULARITY_RECOMMENDER = recommenderKind({
  name: 'popularity',
  settings: {
    /** Popularity counts clicks over this trailing window of the log. */
    window: positiveDuration.prefault(3),
    /** Items the user already clicked are not shown again. */
    exclude_seen: z.boolean().default(true),
  },
  ranker: false,
  check: null,
  build: (config, ctx) => {
    const exploration = buildExploration(config.exploration, pipelineExplorationContext(ctx));
    return new Pipeline(
      'popularity',
      {
        sources: [new PopularitySource(ctx.catalog, { k: ctx.slateSize, windowDays: config.window, excludeSeen: config.exclude_seen }), ...exploration.sources],
        policy: exploration.policy,
      },
      ctx.slateSize,
      ctx.streams.keyed('policy'),
    );
  },
});
