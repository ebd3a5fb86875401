/**
 * Items each user has clicked, recorded from the streamed slate feedback, so the two-stage
 * pipeline can stop showing them again (`exclude_seen`). Clicks older than the retrain window
 * are forgotten at each retrain, matching "already clicked in the log window".
 */
import { StampedIndex } from '../../core/typed-arrays.js';
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

  /** The candidates the user has not clicked, in their order (the list itself when it holds none). */
  filter(userId: number, candidates: readonly Candidate[]): readonly Candidate[] {
    const items = this.clicks.get(userId);
    if (!items) return candidates;
    // The user's clicks marked in a typed array once, then one array read a candidate, where a
    // map lookup a candidate was most of the filter's time.
    const stamp = clickedScratch.begin();
    for (const itemId of items.keys()) clickedScratch.place(itemId, stamp, 1);
    let first = 0;
    while (first < candidates.length && clickedScratch.find(candidates[first].itemId, stamp) < 0) first++;
    if (first === candidates.length) return candidates;
    const kept = candidates.slice(0, first);
    for (let k = first + 1; k < candidates.length; k++) if (clickedScratch.find(candidates[k].itemId, stamp) < 0) kept.push(candidates[k]);
    return kept;
  }
}

/** The clicked items of the user being filtered (shared by every filter: nothing is allocated per request). */
const clickedScratch = new StampedIndex();
