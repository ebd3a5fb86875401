/**
 * The replay's gaps on hand-made metric rows: means over the measured epochs of the run and of
 * both replays, the gap and its share, the gap per epoch, and epochs where a metric is undefined
 * left out of the means, never read as the 0 they hold.
 */
import { describe, expect, it } from 'vitest';
import { REPLAY_METRICS, replayGaps } from '../src/replay/replay-run.js';
import { replayTable } from '../src/replay/replay-table.js';

const row = (ctr: number, impressions: number, popularity: number, epoch = 1): Record<string, number> => ({ ctr, impressions, recommended_popularity: popularity, epoch });

describe('replay gaps', () => {
  const run = [row(0.1, 100, 0.5), row(0.2, 100, 0.7)];
  const replayed = [row(0.1, 100, 0.5), row(0.3, 100, 0.6)];
  const widened = [row(0.2, 100, 0.4), row(0.5, 100, 0.3)];
  const gaps = replayGaps(run, replayed, widened);

  it('gives each metric of both groups, diversity first', () => {
    expect(gaps.map((g) => g.metric)).toEqual([...REPLAY_METRICS.diversity, ...REPLAY_METRICS.satisfaction]);
    expect(gaps.find((g) => g.metric === 'ctr')?.group).toBe('satisfaction');
  });

  it('compares the widened replay with the replay of the design, and keeps the run beside them', () => {
    const ctr = gaps.find((g) => g.metric === 'ctr');
    expect(ctr?.run).toBeCloseTo(0.15, 12);
    expect(ctr?.replayed).toBeCloseTo(0.2, 12);
    expect(ctr?.widened).toBeCloseTo(0.35, 12);
    expect(ctr?.gap).toBeCloseTo(0.15, 12);
    expect(ctr?.relative).toBeCloseTo(0.75, 12);
    expect(ctr?.per_epoch.map((x) => Number(x?.toFixed(12)))).toEqual([0.1, 0.2]);
  });

  it('leaves out epochs where a metric is undefined, and gives null where it has no value at all', () => {
    // Shown items' popularity is undefined in the first epoch (nothing earlier to rank items by).
    const empty = row(0, 0, 0, 0);
    const pop = replayGaps(run, [empty, replayed[1]], widened).find((g) => g.metric === 'recommended_popularity');
    expect(pop?.replayed).toBeCloseTo(0.6, 12);
    expect(pop?.per_epoch[0]).toBeNull();
    expect(pop?.per_epoch[1]).toBeCloseTo(-0.3, 12);
    const missing = gaps.find((g) => g.metric === 'user_topic_entropy_p10');
    expect(missing).toMatchObject({ run: null, replayed: null, widened: null, gap: null, relative: null });
  });

  it('prints a table with a row per metric, signs on the relative gap and a dash where there is no value', () => {
    const text = replayTable({ run: 'r', scenario: 's', seed: 4, slates: 12345, widened_by: ['x=1'], measure_from: 2, gaps });
    expect(text).toMatch(/^s, seed 4: 12,345 logged slates served again by its design and by it widened with x=1$/m);
    expect(text).toMatch(/^ {2}ctr +0\.1500 +0\.2000 +0\.3500 +0\.1500 +\+75\.0%$/m);
    expect(text).toMatch(/^ {2}user_topic_entropy_p10 +– +– +– +– +–$/m);
    expect(text.indexOf('diversity:')).toBeLessThan(text.indexOf('satisfaction:'));
  });
});
