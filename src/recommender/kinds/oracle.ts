/**
 * `kind: oracle`: the whole catalog ranked by each user's true utility, an upper reference no
 * real system can reach. The only recommender given the world's truth, and it says so in its name.
 */
import { recommenderKind } from '../component.js';
import { buildExploration, pipelineExplorationContext } from '../explore/build.js';
import { Pipeline } from '../pipeline.js';
import { OracleRanker } from '../ranking/oracle.js';
import { WholeCatalogSource } from '../sources/catalog.js';

export const ORACLE_RECOMMENDER = recommenderKind({
  name: 'oracle',
  settings: {},
  ranker: false,
  check: null,
  build: (config, ctx) => {
    const exploration = buildExploration(config.exploration, pipelineExplorationContext(ctx));
    return new Pipeline(
      'oracle',
      {
        sources: [new WholeCatalogSource(ctx.catalog), ...exploration.sources],
        ranker: new OracleRanker(ctx.oracleTruth()),
        policy: exploration.policy,
        shortlist: ctx.slateSize,
      },
      ctx.slateSize,
      ctx.streams.keyed('policy'),
    );
  },
});
