/**
 * The rewards an impression can earn, as every part of recloop names them: exploration policies
 * count them (the binary ones), off-policy evaluation estimates their value per slate. One list,
 * read from the impression log in one place.
 */
import type { ImpressionColumns } from './impression-buffer.js';

export const REWARDS = ['click', 'watch_fraction', 'complete', 'like', 'survey_positive'] as const;
export type Reward = (typeof REWARDS)[number];

/** Rewards that are 0 or 1, which a success count (Thompson sampling, UCB) can hold. */
export const BINARY_REWARDS = ['click', 'complete', 'like', 'survey_positive'] as const satisfies readonly Reward[];
export type BinaryReward = (typeof BINARY_REWARDS)[number];

/** Survey answers are 1..5 (0: no answer); 4 and 5 count as positive. */
export const SURVEY_POSITIVE_FROM = 4;

/** The reward of impression row `row`. Only a clicked item can be watched, completed, liked or rated. */
export function rewardOf(columns: ImpressionColumns, row: number, reward: Reward): number {
  switch (reward) {
    case 'click':
      return columns.clicked[row];
    case 'watch_fraction':
      return columns.watch_fraction[row];
    case 'complete':
      return columns.completed[row];
    case 'like':
      return columns.liked[row];
    case 'survey_positive':
      return columns.survey[row] >= SURVEY_POSITIVE_FROM ? 1 : 0;
  }
}
