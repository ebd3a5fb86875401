/**
 * The day the lines cross: where an arm's difference against the control, smoothed over three
 * epochs, takes the sign it keeps to the end; and how `recloop compare` prints it.
 */
import { describe, expect, it } from 'vitest';
import { resolveExperiment } from '../src/experiment/arms.js';
import { compareArms, crossingDay } from '../src/experiment/comparison.js';
import { formatComparison } from '../src/experiment/table.js';
import type { MetricsRow } from '../src/run/summary.js';
import { parseScenario } from '../src/scenario/index.js';

const days = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('crossingDay', () => {
  it('finds the first day of the final sign after the last smoothed value of the other sign', () => {
    // Ahead by 1 for four epochs, then behind by 1: the smoothed series is 1, 1, 1, 1/3, −1/3, −1, −1.
    const diff = [1, 1, 1, 1, -1, -1, -1];
    expect(crossingDay(days(7), diff, 0)).toBe(5);
    expect(crossingDay(days(7), diff.map((x) => -x), 0)).toBe(5);
  });

  it('smooths a single epoch of noise away, but not two', () => {
    expect(crossingDay(days(8), [1, 1, 1, -0.5, 1, 1, 1, 1], 0)).toBeNull();
    expect(crossingDay(days(8), [1, 1, 1, -3, -3, 1, 1, 1], 0)).toBe(7);
  });

  it('is null for a series that leads throughout, ends at zero or has no values after measure_from', () => {
    expect(crossingDay(days(5), [0.2, 0.1, 0.3, 0.2, 0.4], 0)).toBeNull();
    expect(crossingDay(days(4), [1, -1, 0, 0], 0)).toBeNull();
    expect(crossingDay(days(4), [1, 1, null, null], 2)).toBeNull();
    expect(crossingDay([], [], 0)).toBeNull();
  });

  it('leaves out epochs up to measure_from and undefined epochs, and reads days from the series', () => {
    // Before day 3 the arm trailed; measured from day 3 on it leads throughout.
    expect(crossingDay(days(6), [-1, -1, 1, 1, 1, 1], 2)).toBeNull();
    expect(crossingDay(days(6), [-1, -1, 1, 1, 1, 1], 0)).toBe(3);
    // Undefined epochs are skipped, not read as zero: the epoch ending on day 2 is smoothed with
    // those ending on days 1 and 2.5 (to 1/3, the final sign), the one ending on day 1 with days
    // 0.5 and 2 (to −1/3).
    expect(crossingDay([0.5, 1, 1.5, 2, 2.5, 3], [-1, -1, null, 1, 1, 1], 0)).toBe(2);
  });
});

describe('crossings in a comparison', () => {
  it('are written per arm and metric, and printed under the table', () => {
    const text = 'name: t\nhorizon: { days: 8 }\nrecommender: { kind: popularity }\nreplicas: 2\nexperiment: { control: a, arms: { a: {}, b: {} }, measure_from: 1d }\n';
    const experiment = resolveExperiment(parseScenario(text, 't.yaml'));
    const days = 8;
    const row = (epoch: number, ctr: number, returnRate: number): MetricsRow => ({ epoch, day_start: epoch, day_end: epoch + 1, ctr, return_rate: returnRate });
    // b: ahead on CTR throughout; on return rate ahead until day 4, behind from day 5 on.
    const a = [0, 1].map(() => Array.from({ length: days }, (_, e) => row(e, 0.1, 0.5)));
    const b = [0, 1].map((r) => Array.from({ length: days }, (_, e) => row(e, 0.12 + 0.001 * r, e < 4 ? 0.65 : 0.3 - 0.01 * r)));
    const comparison = compareArms({ scenario: 't', experiment, seeds: [1, 2], rows: new Map([['a', a], ['b', b]]) });
    expect(comparison.metrics.return_rate.arms.b.series.crossing_day).toBe(5);
    expect(comparison.metrics.ctr.arms.b.series.crossing_day).toBeNull();
    expect(comparison.metrics.ctr.arms.a.series.crossing_day).toBeUndefined();
    const lines = formatComparison(comparison, ['ctr', 'return_rate']).split('\n');
    const at = lines.findIndex((line) => line.startsWith('where the lines cross'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {2}return_rate\s+b\s+below a from day 5 on, above it before$/);
    expect(lines.filter((line) => / from day /.test(line))).toHaveLength(1);
    // Within noise (the overall difference's interval holds 0) a crossing is not printed.
    const noisy = [0, 1].map((r) => Array.from({ length: days }, (_, e) => row(e, 0.1, e < 4 ? 0.55 + 0.1 * r : 0.2 + 0.5 * r)));
    const within = compareArms({ scenario: 't', experiment, seeds: [1, 2], rows: new Map([['a', a], ['b', noisy]]) });
    expect(within.metrics.return_rate.arms.b.series.crossing_day).toBe(5);
    expect(formatComparison(within, ['return_rate'])).not.toMatch(/lines cross/);
  });
});
