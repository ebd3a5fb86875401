/**
 * The observed reward a learning policy counts as a success, read either from streamed slate
 * feedback or from the impression log. Only the clicked item can have been liked, completed or
 * rated, so every reward is 0 for the other slots.
 */
import type { BinaryReward } from '../../training/rewards.js';
import { rewardOf, SURVEY_POSITIVE_FROM } from '../../training/rewards.js';
import type { ImpressionColumns } from '../../training/impression-buffer.js';
import type { TrainingLog } from '../../training/training-log.js';
import type { SlateFeedback } from '../types.js';


/** Whether the item in `position` of the feedback's slate earned the reward. */
export function rewardInFeedback(reward: BinaryReward, feedback: SlateFeedback, position: number): boolean {
  if (position !== feedback.clicked) return false;
  switch (reward) {
    case 'click':
      return true;
    case 'like':
      return feedback.liked;
    case 'complete':
      return feedback.completed;
    case 'survey_positive':
      return feedback.survey !== null && feedback.survey >= SURVEY_POSITIVE_FROM;
  }
}

/** Whether log row `row` earned the reward (survey: 0 is "no answer", so it is never positive). */
export function rewardInLog(reward: BinaryReward, columns: ImpressionColumns, row: number): boolean {
  return rewardOf(columns, row, reward) === 1;
}

/** The reward (1 or 0) of rows of a log window, each given by its index over the window's chunks, oldest first. */
export function rewardsInWindow(reward: BinaryReward, log: TrainingLog, windowRows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(windowRows.length);
  for (let k = 0; k < windowRows.length; k++) {
    let row = windowRows[k];
    for (const chunk of log.chunks) {
      if (row < chunk.impressions.length) {
        out[k] = rewardInLog(reward, chunk.impressions.columns, row) ? 1 : 0;
        break;
      }
      row -= chunk.impressions.length;
    }
  }
  return out;
}
