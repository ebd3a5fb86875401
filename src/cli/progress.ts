/**
 * Progress for long work: a redrawn bar on a terminal; elsewhere (CI, pipes) a plain line at
 * most every tenth of the work, so logs stay short, with the time so far and the time left.
 */
import type { Writable } from 'node:stream';

export interface Progress {
  /** `timeLeft`: with the `given` pace, the caller's reckoning of the milliseconds left. */
  update(done: number, detail?: string, timeLeft?: number): void;
  finish(message: string): void;
}

/**
 * How the time left is reckoned: `mean`, each step left at the mean cost of those done (steps
 * alike, such as a sweep's cells); `latest`, each step left at the cost of the steps done since
 * the last update (a run's epochs, which cost more as a world's traffic grows: the mean would
 * count the cheap random start-up days and promise an end far too early); `{ work }`, the steps
 * left at the latest steps' time per unit of work, where `work[s]` is what step s is expected to
 * take (a run's epochs: the slates the traffic estimate expects in each, a two-stage start-up's
 * at a fraction: run/epoch-work.ts); `given`, the time left each update gives (jobs that run side
 * by side, whose steps finish in no set order: a comparison's or a sweep's, reckoned by
 * experiment/work-share.ts).
 */
export type ProgressPace = 'mean' | 'latest' | 'given' | { readonly work: ArrayLike<number> };

/**
 * `started` is when the work began (performance.now()): a caller that learns the total only
 * once the first step is done creates its progress then, and passes when the work began, so the
 * time so far and the time left count the first step too. `doneBefore`: steps done before
 * `started` (a resumed run's epochs), which the pace leaves out.
 */
export function createProgress(
  label: string,
  total: number,
  out: Writable & { isTTY?: boolean } = process.stderr,
  started = performance.now(),
  pace: ProgressPace = 'mean',
  doneBefore = 0,
): Progress {
  const tty = out.isTTY === true;
  let lastDecile = -1;
  let lastDone = doneBefore;
  let lastTime = started;
  /** The milliseconds left at the latest steps' pace, or undefined for the mean's. */
  const leftAtPace = (done: number, now: number, given: number | undefined): number | undefined => {
    if (pace === 'given') return given;
    if (pace === 'mean' || done <= lastDone) return undefined;
    if (pace === 'latest') return ((now - lastTime) / (done - lastDone)) * (total - done);
    const recent = sum(pace.work, lastDone, done);
    return recent > 0 ? ((now - lastTime) / recent) * sum(pace.work, done, total) : undefined;
  };
  const eta = (done: number, now: number, given: number | undefined): string => {
    if (done <= doneBefore) return '';
    const seconds = (leftAtPace(done, now, given) ?? ((now - started) / (done - doneBefore)) * (total - done)) / 1000;
    return seconds >= 1 ? `ETA ${formatSeconds(seconds)}` : '';
  };
  return {
    update(done, detail = '', timeLeft) {
      const now = performance.now();
      const left = done < total ? eta(done, now, timeLeft) : '';
      lastDone = done;
      lastTime = now;
      if (tty) {
        const width = 24;
        const filled = Math.round((done / total) * width);
        const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
        out.write(`\r${label} ${bar} ${done}/${total} ${detail} ${left}\x1b[K`);
        return;
      }
      const decile = Math.floor((done / total) * 10);
      if (decile > lastDecile || done === total) {
        lastDecile = decile;
        // The time so far tells a log's reader what each step cost (later epochs of a world whose
        // traffic grows cost more), and when the work may end.
        const elapsed = formatSeconds((now - started) / 1000);
        out.write(`${[label, `${done}/${total}`, detail].filter((part) => part !== '').join(' ')} · ${elapsed}${left ? ` · ${left}` : ''}\n`);
      }
    },
    finish(message) {
      if (tty) out.write('\r\x1b[K');
      out.write(`${message}\n`);
    },
  };
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.round(seconds - 60 * m)).padStart(2, '0')}s`;
}

function sum(values: ArrayLike<number>, from: number, to: number): number {
  let total = 0;
  for (let i = from; i < Math.min(to, values.length); i++) total += values[i];
  return total;
}
