/**
 * What each epoch is expected to cost, for the time left a run prints (src/run/epoch-work.ts): a
 * two-stage recommender's random start-up days count at a fraction of a served day's slates, so
 * the pace they set does not promise an end several times too early.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createProgress } from '../src/cli/progress.js';
import { epochWork, TWO_STAGE_START_UP_COST } from '../src/run/epoch-work.js';
import { slatesPerEpoch } from '../src/run/traffic-estimate.js';
import { parseScenario, type Scenario } from '../src/scenario/index.js';

function shipped(name: string, overrides: readonly string[] = []): Scenario {
  const file = `scenarios/${name}.yaml`;
  return parseScenario(readFileSync(file, 'utf8'), file, overrides);
}

describe('epochWork', () => {
  it('counts a two-stage scenario’s start-up epochs at a fraction of their slates, and the rest whole', () => {
    const scenario = shipped('two-stage'); // random_startup: 2d, a retrain every day
    const slates = slatesPerEpoch(scenario);
    const work = epochWork(scenario);
    expect(work).toHaveLength(14);
    expect(work[0]).toBeCloseTo(TWO_STAGE_START_UP_COST * slates[0], 9);
    expect(work[1]).toBeCloseTo(TWO_STAGE_START_UP_COST * slates[1], 9);
    expect(Array.from(work.subarray(2))).toEqual(Array.from(slates.subarray(2)));
  });

  it('weighs an epoch that straddles the start-up’s end by the part of it inside', () => {
    const scenario = shipped('two-stage', ['recommender.random_startup=36h']);
    const work = epochWork(scenario);
    const slates = slatesPerEpoch(scenario);
    expect(work[0]).toBeCloseTo(TWO_STAGE_START_UP_COST * slates[0], 9);
    expect(work[1]).toBeCloseTo((0.5 + 0.5 * TWO_STAGE_START_UP_COST) * slates[1], 9);
    expect(work[2]).toBe(slates[2]);
  });

  it('leaves the slates as they are without a start-up, and for kinds whose start-up slates cost what their own do', () => {
    const noStartUp = shipped('two-stage', ['recommender.random_startup=0']);
    expect(Array.from(epochWork(noStartUp))).toEqual(Array.from(slatesPerEpoch(noStartUp)));
    const popularity = shipped('popularity', ['recommender.random_startup=2d']);
    expect(Array.from(epochWork(popularity))).toEqual(Array.from(slatesPerEpoch(popularity)));
  });

  it('gives a run’s time left after its start-up days at the pace a served day keeps', () => {
    // Start-up days at TWO_STAGE_START_UP_COST of a served day's time a slate: the time left after
    // them is what the served days will take, where whole slates would promise that fraction of it.
    const scenario = shipped('two-stage');
    const slates = slatesPerEpoch(scenario);
    const msPerServedSlate = 2;
    const served = (msPerServedSlate * slates.subarray(2).reduce((a, b) => a + b, 0)) / 1000;
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const left = (work: ArrayLike<number>): number => {
        let text = '';
        const out = new Writable({ write: (chunk: Buffer, _encoding, done) => ((text += chunk.toString()), done()) });
        const progress = createProgress('run', slates.length, out, performance.now(), { work }, 0);
        for (const day of [0, 1]) {
          vi.advanceTimersByTime(TWO_STAGE_START_UP_COST * msPerServedSlate * slates[day]);
          progress.update(day + 1);
        }
        const eta = /ETA (?:(\d+)m)?(\d+(?:\.\d+)?)s\n$/.exec(text);
        if (!eta) throw new Error(`no time left in ${text}`);
        return 60 * Number(eta[1] ?? 0) + Number(eta[2]);
      };
      expect(Math.abs(left(epochWork(scenario)) - served)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(left(slates) - TWO_STAGE_START_UP_COST * served)).toBeLessThanOrEqual(0.5);
    } finally {
      vi.useRealTimers();
    }
  });
});
