/**
 * The trend of a metric in a comparison: per replica the least-squares slope against the day over
 * the measured epochs where it is defined, then its mean over replicas; `recloop compare` prints
 * it for recommended popularity (the loop amplifying popularity).
 */
import { describe, expect, it } from 'vitest';
import { resolveExperiment } from '../src/experiment/arms.js';
import { compareArms } from '../src/experiment/comparison.js';
import { formatComparison } from '../src/experiment/table.js';
import type { MetricsRow } from '../src/run/summary.js';
import { parseScenario } from '../src/scenario/index.js';

const text = 'name: t\nhorizon: { days: 6 }\nrecommender: { kind: popularity }\nreplicas: 2\nexperiment: { control: a, arms: { a: {}, b: { kind: random } }, measure_from: 2d }\n';
const rows = (popularity: (day: number, seed: number) => number): MetricsRow[][] =>
  [0, 1].map((seed) => Array.from({ length: 6 }, (_, e) => ({ epoch: e, day_start: e, day_end: e + 1, recommended_popularity: popularity(e + 1, seed) })));

describe('a metric’s slope per day', () => {
  it('is fitted over the measured epochs of each replica, then averaged', () => {
    const experiment = resolveExperiment(parseScenario(text, 't.yaml'));
    // a: flat at 0.9 before measure_from (days 1–2), then rising 0.02 a day (seed 0) and 0.04 (seed 1); b: falling 0.01 a day.
    const comparison = compareArms({
      scenario: 't',
      experiment,
      seeds: [1, 2],
      rows: new Map([
        ['a', rows((day, seed) => (day <= 2 ? 0.9 : 0.5 + (0.02 + 0.02 * seed) * day))],
        ['b', rows((day) => 0.5 - 0.01 * day)],
      ]),
    });
    const a = comparison.metrics.recommended_popularity.arms.a.slope_per_day;
    expect(a?.mean).toBeCloseTo(0.03, 12);
    expect(a?.ci95?.[0]).toBeLessThan(0.03);
    expect(comparison.metrics.recommended_popularity.arms.b.slope_per_day?.mean).toBeCloseTo(-0.01, 12);
    const lines = formatComparison(comparison).split('\n');
    const at = lines.findIndex((line) => line.startsWith('trend per day'));
    expect(lines[at + 1]).toMatch(/^ {2}recommended_popularity\s+a\s+\+0\.0300\s+\[/);
    expect(lines[at + 2]).toMatch(/^ {2}recommended_popularity\s+b\s+-0\.0100 /);
  });

  it('is null where no replica has two defined measured epochs', () => {
    const experiment = resolveExperiment(parseScenario(text.replace('measure_from: 2d', 'measure_from: 5d'), 't.yaml'));
    const comparison = compareArms({ scenario: 't', experiment, seeds: [1, 2], rows: new Map([['a', rows(() => 0.5)], ['b', rows(() => 0.4)]]) });
    expect(comparison.metrics.recommended_popularity.arms.a.slope_per_day).toBeNull();
    expect(formatComparison(comparison)).not.toContain('trend per day');
  });
});
