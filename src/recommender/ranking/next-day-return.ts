/**
 * The `return` head's label: next-day return. An impression shown on calendar day d (d = ⌊time⌋,
 * simulated days from midnight) is labelled 1 if the same user starts a new session on day d + 1,
 * and 0 if they do not. Requests later in the same session (even past midnight), another session
 * later on day d, and a first comeback on day d + 2 or later are all 0. The label is known only
 * once day d + 1 is over (d + 2 ≤ now); until then it is unknown, not 0, so the last two days of
 * the window hold no return labels for training. Unknown even where a session on day d + 1 was
 * already seen: keeping only the early returns would bias the head upwards.
 *
 * A session start is what the serving system logged with the request (request in session 0, a
 * column of the log). For rows logged without it (a log from elsewhere), a request more than 30
 * minutes after the user's previous one starts a session, the usual inactivity rule (the one
 * metrics/offline.ts counts past sessions by).
 */
import type { TrainingLog } from '../../training/training-log.js';

/** Inactivity that starts a new session in a slate whose session was not logged: 30 minutes. */
export const SESSION_GAP_DAYS = 30 / (24 * 60);

/**
 * For every row of the log window from window row `from` on: 1 (returned next day), 0 (did not)
 * or NaN (day not over at `now`).
 */
export function nextDayReturnLabels(log: TrainingLog, now: number, from = 0): Float32Array {
  const out = new Float32Array(Math.max(0, log.rows - from));
  let earliest = Number.POSITIVE_INFINITY;
  forRowsFrom(log, from, (time) => {
    earliest = Math.min(earliest, time);
  });
  // Only sessions started from the day after the earliest row's can be asked for: a session
  // start is judged from the request before it, at most SESSION_GAP_DAYS earlier.
  const startDays = sessionStartDays(log, Math.floor(earliest) + 1 - SESSION_GAP_DAYS);
  let e = 0;
  forRowsFrom(log, from, (time, userId) => {
    const day = Math.floor(time);
    out[e++] = day + 2 > now ? Number.NaN : startDays.get(userId)?.has(day + 1) ? 1 : 0;
  });
  return out;
}

/** Calls `visit` with each row's time and user, in window order, from window row `from` on. */
function forRowsFrom(log: TrainingLog, from: number, visit: (time: number, userId: number) => void): void {
  let g = 0;
  for (const chunk of log.chunks) {
    const { slate_row, slates } = chunk.impressions.columns;
    for (let i = Math.max(0, from - g); i < slate_row.length; i++) visit(slates.time[slate_row[i]], slates.user_id[slate_row[i]]);
    g += slate_row.length;
  }
}

/** Per user, the calendar days on which they started a session, as far as the log shows, from requests at `since` or later. */
function sessionStartDays(log: TrainingLog, since: number): Map<number, Set<number>> {
  const days = new Map<number, Set<number>>();
  const lastRequest = new Map<number, number>();
  for (const chunk of log.chunks) {
    const { slate_row, slates } = chunk.impressions.columns;
    const { time, user_id, slate_id, request_in_session } = slates;
    for (let i = 0; i < slate_row.length; i++) {
      const s = slate_row[i];
      if (i > 0 && slate_id[s] === slate_id[slate_row[i - 1]]) continue; // one decision per slate
      if (time[s] < since) continue;
      const userId = user_id[s];
      const previous = lastRequest.get(userId);
      const logged = request_in_session[s];
      const started = logged >= 0 ? logged === 0 : previous === undefined || time[s] - previous > SESSION_GAP_DAYS;
      lastRequest.set(userId, time[s]);
      if (!started) continue;
      let set = days.get(userId);
      if (set === undefined) days.set(userId, (set = new Set()));
      set.add(Math.floor(time[s]));
    }
  }
  return days;
}
