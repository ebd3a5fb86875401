/** The validated `recommender.ranker` block of a two-stage scenario. */
import type { RecommenderConfig } from '../../scenario/index.js';

export type RankerConfig = Extract<RecommenderConfig, { kind: 'two_stage' }>['ranker'];
