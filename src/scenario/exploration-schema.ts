/**
 * `recommender.exploration`: how the final slate is chosen from the ordered candidates, one
 * option per policy. Each policy declares its own settings in its file under
 * src/recommender/explore; the union is derived from the registry there. Shared by every
 * recommender kind, and by the bandit world, where the "candidates" are the current arms.
 */
import type { BinaryReward } from '../training/rewards.js';

export { exploration, EXPLORATION_POLICIES, type ExplorationConfig, type ExplorationPolicyName } from '../recommender/explore/registry.js';

/** A learning policy counts a success in one of the 0-or-1 rewards (training/rewards.ts names them all). */
export type ExplorationReward = BinaryReward;
