/** The scenario blocks the two-tower source is built from. */
import type { RecommenderConfig } from '../../scenario/index.js';
import type { CandidateSourceConfig } from '../../scenario/recommender-schema.js';

/** The `{ source: two_tower, k, ann }` entry of `candidates`. */
export type TwoTowerSourceConfig = Extract<CandidateSourceConfig, { source: 'two_tower' }>;

/** The two_stage recommender's `two_tower` block: model size, history pooling and training. */
export type TwoTowerConfig = Extract<RecommenderConfig, { kind: 'two_stage' }>['two_tower'];
