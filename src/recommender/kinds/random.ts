/** `kind: random`: uniformly random slates, the floor every other recommender is measured against. */
import { recommenderKind } from '../component.js';
import { RandomRecommender } from '../random-recommender.js';

export const RANDOM_RECOMMENDER = recommenderKind({
  name: 'random',
  settings: {},
  ranker: false,
  check: null,
  build: (_config, ctx) => new RandomRecommender(ctx.catalog, ctx.slateSize, ctx.streams.keyed('random')),
});
