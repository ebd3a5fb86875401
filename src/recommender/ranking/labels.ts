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
 * - return:   next-day return: 1 if the user started a new session on the calendar day after the
 *             impression's, 0 if not; unknown until that day is over (next-day-return.ts).
 */
import type { RankerHead } from './heads.js';
import type { ImpressionColumns } from '../../training/impression-buffer.js';

/**
 * Label of `head` for row i of a chunk; NaN when unknown. `returned` is the row's next-day return
 * label (next-day-return.ts), needed only by the return head.
 */
export function headLabel(head: RankerHead, c: ImpressionColumns, i: number, returned: number): number {
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
    case 'return':
      return returned;
  }
}
