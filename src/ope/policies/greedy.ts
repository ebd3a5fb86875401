/** Deterministic: the ranking's top items in order, each slot with probability 1 (the recommender's greedy policy). */
import { GreedyPolicy } from '../../recommender/explore/greedy.js';
import type { Ranking } from './ranking.js';
import { ServedPolicyTarget } from './served.js';

export class GreedyTargetPolicy extends ServedPolicyTarget {
  constructor(ranking: Ranking) {
    super(new GreedyPolicy(), ranking, { pool: 0, seed: 'greedy', catalog: { size: 0 } });
  }
}
