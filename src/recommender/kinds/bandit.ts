/**
 * `kind: bandit`: the exploration policy alone, learning from each round's reward; the
 * recommender of a bandit world (world.kind: bandit), whose loop (src/bandit) runs the policy
 * itself, so it is never built here.
 */
import { positiveCount } from '../../settings/fields.js';
import { recommenderKind } from '../component.js';

const BANDIT_WORLD_ONLY = 'recommender kind bandit runs only in a bandit world (world.kind: bandit)';

export const BANDIT_RECOMMENDER = recommenderKind({
  name: 'bandit',
  settings: { slate_size: positiveCount.default(1) },
  ranker: false,
  // Checks run on population worlds only (a bandit world has checks of its own: scenario/bandit-check.ts).
  check: () => [{ paths: [['recommender', 'kind']], message: `${BANDIT_WORLD_ONLY}; pick another kind` }],
  build: () => {
    throw new Error(BANDIT_WORLD_ONLY);
  },
});
