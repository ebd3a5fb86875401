/**
 * Items each user has clicked, recorded from the streamed slate feedback, so the two-stage
 * pipeline can stop showing them again (`exclude_seen`). Clicks older than the retrain window
 * are forgotten at each retrain, matching "already clicked in the log window".
 */
import type { Candidate, SlateFeedback } from '../types.js';

export class SeenItems {
  /** user → (item → time of its latest click). */
  private readonly clicks = new Map<number, Map<number, number>>();

  record(userId: number, itemId: number, time: number): void {
    let items = this.clicks.get(userId);
    if (!items) this.clicks.set(userId, (items = new Map()));
    items.set(itemId, time);
  }

  observe(feedback: SlateFeedback): void {
    if (feedback.clicked < 0) return;
    this.record(feedback.request.userId, feedback.slate.entries[feedback.clicked].itemId, feedback.request.time);
  }

  has(userId: number, itemId: number): boolean {
    return this.clicks.get(userId)?.has(itemId) ?? false;
  }

  /** Drops clicks made before `time`; O(recorded clicks). */
  forgetBefore(time: number): void {
    for (const [userId, items] of this.clicks) {
      for (const [itemId, clickedAt] of items) if (clickedAt < time) items.delete(itemId);
      if (items.size === 0) this.clicks.delete(userId);
    }
  }

  /** The candidates the user has not clicked, in their order. */
  filter(userId: number, candidates: readonly Candidate[]): Candidate[] {
    const items = this.clicks.get(userId);
    return items ? candidates.filter((c) => !items.has(c.itemId)) : [...candidates];
  }
}
