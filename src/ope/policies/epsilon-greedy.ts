/**
 * Per-slot epsilon-greedy over the catalog: the recommender's own policy (explore/epsilon-greedy.ts,
 * `over: catalog`) with the ranking's top min(slate, catalog) items as the greedy list. Each slot
 * explores with probability ε, exploring slots are filled by uniform draws from every catalog
 * item not kept, and every (item, slot) pair has positive probability, so it can also log.
 */
import { EpsilonGreedyPolicy } from '../../recommender/explore/epsilon-greedy.js';
import { KeyedStream } from '../../rng/index.js';
import type { Ranking } from './ranking.js';
import { ServedPolicyTarget } from './served.js';

export class EpsilonGreedyTargetPolicy extends ServedPolicyTarget {
  constructor(
    ranking: Ranking,
    readonly epsilon: number,
  ) {
    const catalog = { size: 0 };
    // No creator cap here, so the Monte-Carlo stream is never drawn from.
    const policy = new EpsilonGreedyPolicy({ epsilon, over: 'catalog', mcDraws: 1 }, () => catalog.size, new KeyedStream('unused'));
    super(policy, ranking, { pool: 0, seed: 'epsilon-greedy', catalog, name: `epsilon-greedy(${epsilon}, ${ranking.name})` });
  }
}
