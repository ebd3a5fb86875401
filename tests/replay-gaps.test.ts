/**
 * The replay's gaps on hand-made metric rows: means over the measured epochs of the run and of
 * both replays, the gap with its interval over runs, its share, the drift of the replayed design
 * from the run, the gap per run and per epoch, and epochs where a metric is undefined left out of
 * the means, never read as the 0 they hold.
 */
import { describe, expect, it } from 'vitest';
import { REPLAY_METRICS, replayGaps, type ReplayedRows, type ReplayGap } from '../src/replay/replay-gaps.js';
import { replayTable } from '../src/replay/replay-table.js';

const row = (ctr: number, popularity: number, epoch = 1): Record<string, number> => ({ ctr, impressions: 100, recommended_popularity: popularity, epoch });

/** Seed A: gaps 0.1 and 0.2 over two epochs (mean 0.15); seed B: a gap of 0.05 in both. */
const seedA: ReplayedRows = {
  run: [row(0.1, 0.5), row(0.2, 0.7)],
  replayed: [row(0.1, 0.5), row(0.3, 0.6)],
  widened: [row(0.2, 0.4), row(0.5, 0.3)],
};
const seedB: ReplayedRows = {
  run: [row(0.2, 0.5), row(0.2, 0.5)],
  replayed: [row(0.3, 0.5), row(0.3, 0.5)],
  widened: [row(0.35, 0.5), row(0.35, 0.5)],
};

describe('replay gaps', () => {
  it('gives each metric of both groups, diversity first', () => {
    const gaps = replayGaps([seedA]);
    expect(gaps.map((g) => g.metric)).toEqual([...REPLAY_METRICS.diversity, ...REPLAY_METRICS.satisfaction]);
    expect(gaps.find((g) => g.metric === 'ctr')?.group).toBe('satisfaction');
  });

  it('compares the widened replay with the replay of the design, and keeps the run and its drift beside them', () => {
    const ctr = replayGaps([seedA]).find((g) => g.metric === 'ctr');
    expect(ctr?.run).toBeCloseTo(0.15, 12);
    expect(ctr?.replayed).toBeCloseTo(0.2, 12);
    expect(ctr?.widened).toBeCloseTo(0.35, 12);
    expect(ctr?.gap).toBeCloseTo(0.15, 12);
    expect(ctr?.relative).toBeCloseTo(0.75, 12);
    expect(ctr?.drift).toBeCloseTo(0.05, 12);
    // One run: no interval.
    expect(ctr?.low).toBeNull();
    expect(ctr?.high).toBeNull();
    expect(ctr?.per_epoch[0].map((x) => Number(x?.toFixed(12)))).toEqual([0.1, 0.2]);
  });

  it('takes runs of several seeds as replicas: the mean gap with its t interval', () => {
    const ctr = replayGaps([seedA, seedB]).find((g) => g.metric === 'ctr');
    expect(ctr?.per_run.map((x) => Number(x?.toFixed(12)))).toEqual([0.15, 0.05]);
    expect(ctr?.gap).toBeCloseTo(0.1, 12);
    // Per-run gaps 0.15 and 0.05: standard error 0.05, and t(0.975, 1) = 12.706.
    expect(ctr?.low).toBeCloseTo(0.1 - 12.7062047 * 0.05, 6);
    expect(ctr?.high).toBeCloseTo(0.1 + 12.7062047 * 0.05, 6);
    expect(ctr?.replayed).toBeCloseTo(0.25, 12);
    expect(ctr?.drift).toBeCloseTo(0.075, 12);
    expect(ctr?.per_epoch).toHaveLength(2);
  });

  it('leaves out epochs where a metric is undefined, and gives null where it has no value at all', () => {
    // Shown items' popularity is undefined in the first epoch (nothing earlier to rank items by).
    const first = row(0, 0, 0);
    const pop = replayGaps([{ ...seedA, replayed: [first, seedA.replayed[1]] }]).find((g) => g.metric === 'recommended_popularity');
    expect(pop?.replayed).toBeCloseTo(0.6, 12);
    expect(pop?.per_epoch[0][0]).toBeNull();
    expect(pop?.per_epoch[0][1]).toBeCloseTo(-0.3, 12);
    const missing = replayGaps([seedA]).find((g) => g.metric === 'user_topic_entropy_p10');
    expect(missing).toMatchObject({ run: null, replayed: null, widened: null, gap: null, low: null, relative: null, drift: null });
  });

  it('has no gap, share or drift where a side has no value, and no share against a zero', () => {
    const noCtr = (rows: ReplayedRows['run']): ReplayedRows['run'] => rows.map(({ ctr: _ctr, ...rest }) => rest);
    const gapOf = (runs: ReplayedRows[]) => replayGaps(runs).find((g) => g.metric === 'ctr');
    // The replayed design without the figure, then the widened one without it.
    expect(gapOf([{ ...seedA, replayed: noCtr(seedA.replayed) }])).toMatchObject({ gap: null, relative: null, drift: null, per_run: [null] });
    expect(gapOf([{ ...seedA, widened: noCtr(seedA.widened) }])).toMatchObject({ gap: null, relative: null, per_run: [null] });
    // The run without it: no drift, the gap as before.
    const noRun = gapOf([{ ...seedA, run: noCtr(seedA.run) }]);
    expect(noRun?.drift).toBeNull();
    expect(noRun?.gap).toBeCloseTo(0.15, 12);
    const zero = gapOf([{ run: [row(0, 0.5)], replayed: [row(0, 0.5)], widened: [row(0.1, 0.5)] }]);
    expect(zero?.gap).toBeCloseTo(0.1, 12);
    expect(zero?.relative).toBeNull();
    // A widened replay with an epoch more than the replayed one: no gap for that epoch.
    expect(gapOf([{ ...seedA, widened: [...seedA.widened, row(0.4, 0.5)] }])?.per_epoch[0][2]).toBeNull();
  });

  it('prints the table exactly: figures, intervals, shares with their sign, dashes, each group once', () => {
    const gap = (metric: string, group: 'diversity' | 'satisfaction', values: Partial<ReplayGap>): ReplayGap => ({
      metric, group, run: null, replayed: null, widened: null, gap: null, low: null, high: null, relative: null, drift: null, per_run: [], per_epoch: [], ...values,
    });
    const gaps = [
      gap('catalog_coverage', 'diversity', { run: 0.5, replayed: 0.4, widened: 0.3, gap: -0.1, low: -0.2, high: 0, relative: -0.25, drift: 0.1 }),
      gap('impression_gini', 'diversity', { run: 150, replayed: 0.2, widened: 0.2, gap: 0, low: 0.1, high: null, relative: 0, drift: 149.8 }),
      gap('ctr', 'satisfaction', {}),
    ];
    const runs = [
      { run: 'a', seed: 4, slates: 1000 },
      { run: 'b', seed: 5, slates: 234 },
    ];
    expect(replayTable({ scenario: 's', runs, widened_by: ['x=1', 'y=2'], measure_from: 2, gaps })).toBe(
      [
        's, 2 runs (seeds 4, 5): 1,234 logged slates served again by its design and by it widened with x=1 y=2',
        'means over the epochs from day 2; gap = widened − replayed, with its 95% interval over the runs; drift = |run − replayed|, how far the replay of the design strays from the run: a gap within it is not one to act on',
        '',
        'metric                                run   replayed    widened        gap                95% CI  relative     drift',
        'diversity:',
        '  catalog_coverage                 0.5000     0.4000     0.3000    -0.1000     [-0.2000, 0.0000]    -25.0%    0.1000',
        '  impression_gini                     150     0.2000     0.2000     0.0000                     –     +0.0%       150',
        'satisfaction:',
        '  ctr                                   –          –          –          –                     –         –         –',
        '',
      ].join('\n'),
    );
  });

  it('prints a table with a row per metric, the interval, signs on the relative gap and a dash where there is no value', () => {
    const runs = [
      { run: 'a', seed: 4, slates: 12345 },
      { run: 'b', seed: 5, slates: 10 },
    ];
    const text = replayTable({ scenario: 's', runs, widened_by: ['x=1'], measure_from: 2, gaps: replayGaps([seedA, seedB]) });
    expect(text).toMatch(/^s, 2 runs \(seeds 4, 5\): 12,355 logged slates served again by its design and by it widened with x=1$/m);
    expect(text).toMatch(/^ {2}ctr +0\.1750 +0\.2500 +0\.3500 +0\.1000 +\[-0\.5353, 0\.7353\] +\+40\.0% +0\.0750$/m);
    expect(text).toMatch(/^ {2}user_topic_entropy_p10 +– +– +– +– +– +– +–$/m);
    expect(text.indexOf('diversity:')).toBeLessThan(text.indexOf('satisfaction:'));
    expect(replayTable({ scenario: 's', runs: [runs[0]], widened_by: [], measure_from: 2, gaps: replayGaps([seedA]) })).toMatch(/seed 4: 12,345 .*\n.*one run: no interval/);
  });
});
