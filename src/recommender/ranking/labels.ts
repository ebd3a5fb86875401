/**
 * What each ranker head learns, per logged impression. Every head is trained with (sigmoid)
 * cross-entropy on its label, masked where the label is unknown:
 *
 * - click:    1 if the item was clicked.
 * - watch:    the watch FRACTION (watch time / item length, in [0, 1]; 0 without a click), used
 *             as a soft label. Not watch minutes: 30 seconds of a 30-second video is a full watch,
 *             30 seconds of a 30-minute video is an abandonment, and minutes would reward length.
 * - complete: 1 if the item was watched to completion.
 * - like:     1 if the item was liked.
 * - survey:   1 if the survey answer was 4 or 5; known only where a survey was answered (which
 *             needs a click), so this head predicts satisfaction *given an answer*, not per impression.
 * - return:   1 if the user made another request (a later slate) within one day after the
 *             impression; known only when that whole day lies inside the log (time + 1 ≤ now),
 *             so the most recent day of the window is masked rather than counted as "no return".
 *             A later request in the same session counts too (the log does not mark sessions).
 */
import type { RankerHead } from '../../scenario/recommender-schema.js';
import type { ImpressionColumns } from '../../training/impression-buffer.js';

/** Days after an impression within which a new request counts as a return. */
export const RETURN_WINDOW_DAYS = 1;

/**
 * Label of `head` for row i of a chunk; NaN when unknown. `nextRequest` is the time of the same
 * user's next slate in the log (Infinity if none), needed only by the return head.
 */
export function headLabel(head: RankerHead, c: ImpressionColumns, i: number, nextRequest: number, now: number): number {
  switch (head) {
    case 'click':
      return c.clicked[i];
    case 'watch':
      return c.clicked[i] === 1 ? Math.min(1, Math.max(0, c.watch_fraction[i])) : 0;
    case 'complete':
      return c.completed[i];
    case 'like':
      return c.liked[i];
    case 'survey':
      return c.survey[i] === 0 ? Number.NaN : c.survey[i] >= 4 ? 1 : 0;
    case 'return': {
      // Unknown near the end of the log, even when a return was already seen: keeping only the
      // early returns there would bias the head upwards.
      const t = c.time[i];
      if (t + RETURN_WINDOW_DAYS > now) return Number.NaN;
      return nextRequest - t <= RETURN_WINDOW_DAYS ? 1 : 0;
    }
  }
}
