import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createProgress, formatSeconds, type ProgressPace } from '../src/cli/progress.js';

/** A stream that keeps what is written; `isTTY` as a terminal or a pipe would have it. */
function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(out, { isTTY, text: () => chunks.join('') });
}

describe('progress', () => {
  it('off a terminal writes a line at most every tenth of the work, each with the time so far, and the time left until the last', () => {
    const out = sink(false);
    const progress = createProgress('run', 20, out);
    for (let done = 1; done <= 20; done++) progress.update(done, `day ${done}`);
    progress.finish('run: done');
    const lines = out.text().trimEnd().split('\n');
    // Done 1 starts tenth 0, then every second step starts a new one: 1, 2, 4, …, 20.
    expect(lines.map((line) => line.split(' ')[1])).toEqual(['1/20', '2/20', '4/20', '6/20', '8/20', '10/20', '12/20', '14/20', '16/20', '18/20', '20/20', 'done']);
    expect(lines[0]).toMatch(/^run 1\/20 day 1 · \d+\.\ds( · ETA [\dms.]+)?$/);
    expect(lines[10]).toMatch(/^run 20\/20 day 20 · \d+\.\ds$/);
    expect(lines[11]).toBe('run: done');
  });

  it('created after the first step with the time the work began, it counts that step in the time so far and the time left', () => {
    const out = sink(false);
    // The total is known once the first epoch ends, 30 s after the run began.
    const progress = createProgress('run', 4, out, performance.now() - 30_000);
    progress.update(1, 'day 1');
    expect(out.text()).toMatch(/^run 1\/4 day 1 · 30s · ETA 1m30s\n$/);
  });

  it('at the latest pace counts each step left at the cost of the last one (per unit of work where each step\'s is given), where the mean would count the cheap first ones', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const paced = (pace: ProgressPace) => {
        const out = sink(true);
        const progress = createProgress('run', 10, out, performance.now(), pace);
        vi.advanceTimersByTime(10_000);
        progress.update(1, 'day 1');
        vi.advanceTimersByTime(30_000);
        progress.update(2, 'day 2');
        return out.text().split('\r').at(-1);
      };
      // Steps of 10 s then 30 s, 8 left: 8 × 30 s at the latest pace, 8 × 20 s at the mean.
      expect(paced('latest')).toMatch(/ 2\/10 day 2 ETA 4m00s\x1b\[K$/);
      expect(paced('mean')).toMatch(/ 2\/10 day 2 ETA 2m40s\x1b\[K$/);
      // The last step took 30 s for 3 units of work; the 8 left are expected to take 40: 400 s.
      expect(paced({ work: [1, 3, 5, 5, 5, 5, 5, 5, 5, 5] })).toMatch(/ 2\/10 day 2 ETA 6m40s\x1b\[K$/);
      // No work counted in the last step (a caller's zeros): the mean's time left.
      expect(paced({ work: [1, 0, 5, 5, 5, 5, 5, 5, 5, 5] })).toMatch(/ 2\/10 day 2 ETA 2m40s\x1b\[K$/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('resumed after steps done before it began, it paces only the steps it did', () => {
    const out = sink(false);
    // Steps 1–6 were done by a run that stopped; this one began 30 s ago and has done step 7.
    const progress = createProgress('run', 10, out, performance.now() - 30_000, 'mean', 6);
    progress.update(7, 'day 7');
    expect(out.text()).toMatch(/^run 7\/10 day 7 · 30s · ETA 1m30s\n$/);
    const latest = sink(false);
    createProgress('run', 10, latest, performance.now() - 30_000, 'latest', 6).update(7, 'day 7');
    expect(latest.text()).toMatch(/ETA 1m30s\n$/);
  });

  it('without a detail the line has no double space', () => {
    const out = sink(false);
    createProgress('sweep', 1, out).update(1);
    expect(out.text()).toMatch(/^sweep 1\/1 · \d+\.\ds\n$/);
  });

  it('on a terminal redraws one bar in place and clears it at the end', () => {
    const out = sink(true);
    const progress = createProgress('run', 4, out);
    progress.update(2, 'day 2');
    progress.finish('run: done');
    expect(out.text()).toMatch(/^\rrun ████████████░░░░░░░░░░░░ 2\/4 day 2 .*\x1b\[K\r\x1b\[Krun: done\n$/);
  });

  it('formats seconds as a person reads them', () => {
    expect(formatSeconds(4.25)).toBe('4.3s');
    expect(formatSeconds(42.4)).toBe('42s');
    expect(formatSeconds(125)).toBe('2m05s');
  });
});
