/**
 * Per-item trials (impressions) and successes (rewards), indexed by dense item id and grown on
 * demand as uploads add items. Streamed feedback adds to the counts; a retrain rebuilds them from
 * the log window, so the estimates forget what fell out of the window, like every other model.
 */
import type { BinaryReward } from '../../training/rewards.js';
import type { TrainingLog } from '../../training/training-log.js';
import type { SlateFeedback } from '../types.js';
import { rewardInFeedback, rewardInLog } from './rewards.js';

export class RewardCounts {
  private trialCounts = new Float64Array(64);
  private successCounts = new Float64Array(64);
  /** Trials over all items (UCB's N). */
  total = 0;

  constructor(readonly reward: BinaryReward) {}

  trials(itemId: number): number {
    return itemId < this.trialCounts.length ? this.trialCounts[itemId] : 0;
  }

  successes(itemId: number): number {
    return itemId < this.successCounts.length ? this.successCounts[itemId] : 0;
  }

  record(itemId: number, success: boolean): void {
    this.ensure(itemId);
    this.trialCounts[itemId] += 1;
    if (success) this.successCounts[itemId] += 1;
    this.total += 1;
  }

  /** Every slot of a served slate is one trial of its item. */
  observe(feedback: SlateFeedback): void {
    const { entries } = feedback.slate;
    for (let p = 0; p < entries.length; p++) this.record(entries[p].itemId, rewardInFeedback(this.reward, feedback, p));
  }

  /** Replaces the counts with those of the log window. */
  rebuild(log: TrainingLog): void {
    this.trialCounts.fill(0);
    this.successCounts.fill(0);
    this.total = 0;
    for (const chunk of log.chunks) {
      const columns = chunk.impressions.columns;
      const items = columns.item_id;
      for (let row = 0; row < items.length; row++) this.record(items[row], rewardInLog(this.reward, columns, row));
    }
  }

  /** Item ids with at least one trial. */
  *seen(): Generator<number> {
    for (let id = 0; id < this.trialCounts.length; id++) if (this.trialCounts[id] > 0) yield id;
  }

  private ensure(itemId: number): void {
    if (itemId < this.trialCounts.length) return;
    let size = this.trialCounts.length;
    while (size <= itemId) size *= 2;
    const trials = new Float64Array(size);
    const successes = new Float64Array(size);
    trials.set(this.trialCounts);
    successes.set(this.successCounts);
    this.trialCounts = trials;
    this.successCounts = successes;
  }
}
