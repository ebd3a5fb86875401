/**
 * `recloop fit` and `recloop fit-check` on synthetic logs whose world is known: each log is
 * drawn with a seeded stream from known slot biases θ, item propensities q and segment
 * multipliers m, written as a CSV and imported with `recloop import csv` as a user would, then
 * fitted. Recovery is judged by the fit's own standard errors: over four logs every estimate
 * lies within 3 SE of the truth (one miss in 72 allowed; 0.2 expected), and the root mean square
 * of (estimate − truth) / SE lies in [0.65, 1.35], so SEs twice or half the right size fail too.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFittedWorld, type FittedWorld } from '../src/fit/fitted-world.js';
import type { FitCheckReport } from '../src/fit/fit-check.js';
import { RandomStreams } from '../src/rng/index.js';
import { duckdbRows } from './support/duckdb-rows.js';
import { cli } from './support/run-cli.js';
import { tempDir } from './support/scenarios.js';

const THETA = [1, 0.6, 0.35];
const Q = [0.02, 0.025, 0.03, 0.035, 0.04, 0.045, 0.05, 0.055, 0.06, 0.065, 0.07, 0.08];
/** Users by user_feature_0: a, b and c are segments of their own; d and e (10% together, under --min-segment-share) are "other", with one multiplier. */
const SEGMENTS = [
  { value: 'a', share: 0.4, m: 1.6 },
  { value: 'b', share: 0.3, m: 0.7 },
  { value: 'c', share: 0.2, m: 1.0 },
  { value: 'd', share: 0.06, m: 0.5 },
  { value: 'e', share: 0.04, m: 0.5 },
];
const SLATES = 10_000;
const FIT_OPTIONS = ['--segments', '8', '--min-segment-share', '0.08'];
const CSV_COLUMNS = ['--item', 'item', '--click', 'click', '--position', 'slot', '--position-base', '1', '--slots', '3', '--propensity', 'p', '--feature', 'user_feature_0'];

interface SyntheticLog {
  readonly csv: string;
  /** Each segment value's rows in the log. */
  readonly rowsBySegment: ReadonlyMap<string, number>;
  readonly rows: number;
}

/** Uniformly random slates of three distinct items in random order, each shown item clicked with θ_slot · q_item · m_segment. */
function syntheticLog(seed: number, withSlot = true): SyntheticLog {
  const streams = new RandomStreams(seed);
  const users = streams.stream('test/users');
  const slates = streams.stream('test/slates');
  const clicks = streams.stream('test/clicks');
  const lines = [withSlot ? 'item,slot,click,p,user_feature_0' : 'item,click,p,user_feature_0'];
  const rowsBySegment = new Map<string, number>();
  for (let n = 0; n < SLATES; n++) {
    const segment = SEGMENTS[users.categorical(SEGMENTS.map((s) => s.share))];
    slates.orderedSample(Q.length, THETA.length).forEach((item, k) => {
      const click = clicks.bernoulli(THETA[k] * Q[item] * segment.m) ? 1 : 0;
      lines.push(withSlot ? `${item},${k + 1},${click},${1 / Q.length},${segment.value}` : `${item},${click},${1 / Q.length},${segment.value}`);
      rowsBySegment.set(segment.value, (rowsBySegment.get(segment.value) ?? 0) + 1);
    });
  }
  return { csv: `${lines.join('\n')}\n`, rowsBySegment, rows: SLATES * THETA.length };
}

async function importLog(dir: string, name: string, csv: string, columns = CSV_COLUMNS): Promise<string> {
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, csv);
  const out = join(dir, name);
  const result = await cli(['import', 'csv', file, ...columns, '--out', out]);
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  return out;
}

async function fit(log: string, out: string): Promise<FittedWorld> {
  const result = await cli(['fit', log, ...FIT_OPTIONS, '--out', out]);
  expect(result.err).toBe(`→ ${out}\n`);
  expect(result.code).toBe(0);
  return readFittedWorld(join(out, 'fitted-world.json'));
}

/** The true parameters in the file's units: q at slot 1 averaged over the log's traffic, m with traffic-weighted mean 1. */
function truthOf(log: SyntheticLog): { theta: number[]; q: number[]; m: Map<string, number> } {
  const named = SEGMENTS.slice(0, 3);
  const other = SEGMENTS.slice(3);
  const share = (values: typeof SEGMENTS): number => values.reduce((a, s) => a + (log.rowsBySegment.get(s.value) ?? 0), 0) / log.rows;
  const scale = named.reduce((a, s) => a + share([s]) * s.m, 0) + share(other) * other[0].m;
  return { theta: THETA, q: Q.map((q) => q * scale), m: new Map([...named.map((s) => [s.value, s.m / scale] as const), ['other', other[0].m / scale]]) };
}

let base: string;
beforeAll(() => {
  base = tempDir('recloop-fit-world-');
});

describe('recloop fit', () => {
  it('recovers θ, q and the segment multipliers of known worlds within 3 standard errors, with standard errors of the right size', async () => {
    const z: number[] = [];
    for (const seed of [11, 12, 13, 14]) {
      const log = syntheticLog(seed);
      const world = await fit(await importLog(base, `recover-${seed}`, log.csv), join(base, `recover-${seed}-fit`));
      const truth = truthOf(log);
      expect(world.fit.converged).toBe(true);
      expect(world.positions.map((p) => p.theta)[0]).toBe(1);
      expect(world.positions[0].se).toBe(0);
      for (const p of world.positions.slice(1)) z.push((p.theta - truth.theta[p.slot - 1]) / p.se);
      for (const q of world.item_propensities) z.push((q.q - truth.q[q.item]) / q.se);
      expect(world.segments.map((s) => s.values?.user_feature_0 ?? 'other')).toEqual(['a', 'b', 'c', 'other']);
      for (const s of world.segments) {
        expect(s.share).toBeCloseTo(s.impressions / log.rows, 12);
        z.push((s.m - (truth.m.get(s.values?.user_feature_0 ?? 'other') ?? Number.NaN)) / s.m_se);
      }
    }
    expect(z).toHaveLength(4 * (2 + Q.length + 4));
    expect(z.every(Number.isFinite)).toBe(true);
    expect(z.filter((x) => Math.abs(x) > 3).length).toBeLessThanOrEqual(1);
    const rms = Math.sqrt(z.reduce((a, x) => a + x * x, 0) / z.length);
    expect(rms).toBeGreaterThan(0.65);
    expect(rms).toBeLessThan(1.35);
  }, 60_000);

  it('refuses a log without slots, naming import.json and the position field', async () => {
    const log = syntheticLog(21, false);
    const columns = CSV_COLUMNS.filter((_, k, all) => !['--position', '--position-base', '--slots'].includes(all[k]) && !['--position', '--position-base', '--slots'].includes(all[k - 1]));
    const dir = await importLog(base, 'no-slot', log.csv, columns);
    const result = await cli(['fit', dir, '--out', join(base, 'no-slot-fit')]);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`${join(dir, 'import.json')}: columns.position: the log has no slot column; the position model needs each impression's slot (import it with --position)\n`);
  });

  it('refuses propensities out of range: at import with the CSV line, and in an imported log edited since with the row and field', async () => {
    const log = syntheticLog(22);
    const lines = log.csv.split('\n');
    lines[5] = lines[5].replace(/,[^,]*,([a-e])$/, ',1.5,$1');
    const file = join(base, 'bad-p.csv');
    writeFileSync(file, lines.join('\n'));
    const imported = await cli(['import', 'csv', file, ...CSV_COLUMNS, '--out', join(base, 'bad-p')]);
    expect(imported.code).toBe(2);
    expect(imported.err).toMatch(/bad-p\.csv:6: p: propensity 1\.5 is out of range; expected a probability in \(0, 1\]/);

    const dir = await importLog(base, 'edited', log.csv);
    const parquet = join(dir, 'impressions', 'log.parquet');
    await duckdbRows(`COPY (SELECT * REPLACE (CASE WHEN slate_id = 4 THEN 1.5 ELSE propensity END AS propensity) FROM read_parquet('${parquet}')) TO '${parquet}.new' (FORMAT parquet)`);
    renameSync(`${parquet}.new`, parquet);
    const result = await cli(['fit', dir, '--out', join(base, 'edited-fit')]);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`${parquet}: row 5: propensity: 1.5 is out of range; expected a probability in (0, 1]\n`);
  });
});

describe('recloop fit-check', () => {
  let world: string;
  let fittedOn: string;
  let truth: string;
  beforeAll(async () => {
    fittedOn = await importLog(base, 'check-fit-log', syntheticLog(31).csv);
    truth = await importLog(base, 'check-truth-log', syntheticLog(32).csv);
    world = join(base, 'check-world');
    await fit(fittedOn, world);
  }, 30_000);

  async function check(args: readonly string[], out: string, seeds = 8): Promise<{ report: FitCheckReport; json: string }> {
    const result = await cli(['fit-check', world, '--truth', truth, '--seeds', String(seeds), ...args, '--out', join(base, out)]);
    expect(result.err).toBe(`→ ${join(base, out)}\n`);
    expect(result.code).toBe(0);
    const json = readFileSync(join(base, out, 'fit-check.json'), 'utf8');
    expect(readFileSync(join(base, out, 'fit-check.txt'), 'utf8')).toBe(result.out);
    return { report: JSON.parse(json) as FitCheckReport, json };
  }

  it('gives the same report for the same seed and another for another seed', async () => {
    const a = await check(['--seed', '5'], 'check-a');
    const b = await check(['--seed', '5'], 'check-b');
    const c = await check(['--seed', '6'], 'check-c');
    expect(b.json).toBe(a.json);
    expect(c.report.rates[0].simulated_mean).not.toBe(a.report.rates[0].simulated_mean);
    expect(c.report.exposure.tvd.mean).not.toBe(a.report.exposure.tvd.mean);
  }, 30_000);

  it("finds a log of the fitted world's own policy consistent with the world, gap by gap", async () => {
    const { report } = await check([], 'check-consistent', 20);
    expect(report.policy.kind).toBe('uniform');
    expect(report.truth.impressions).toBe(SLATES * THETA.length);
    expect(report.rates.map((r) => r.metric)).toEqual(['click rate', 'click rate at slot 1', 'click rate at slot 2', 'click rate at slot 3']);
    for (const r of report.rates) {
      expect(r.gap).toBeCloseTo(r.real - r.simulated_mean, 12);
      expect(r.gap_lo).toBeLessThan(r.gap_hi);
      expect(r.consistent).toBe(r.gap_lo <= 0 && 0 <= r.gap_hi);
    }
    // Each interval holds the real value with about 95% chance when the simulation is right; the seeds are fixed, and all four do.
    expect(report.rates.map((r) => r.consistent)).toEqual([true, true, true, true]);
    // The same policy in the same world: exposure differs by chance alone, as two resamples of one log do.
    expect(report.exposure.excess.lo).toBeLessThan(0);
    expect(report.exposure.excess.hi).toBeGreaterThan(0);
  }, 30_000);

  it('names the file and field of a bad scenario or fitted world', async () => {
    const scenario = join(world, 'scenario.yaml');
    const text = readFileSync(scenario, 'utf8');
    const bad = join(base, 'bad-scenario.yaml');
    writeFileSync(bad, text.replace('policy: uniform', 'policy: greedy').replace('fitted_world: fitted-world.json', `fitted_world: ${join(world, 'fitted-world.json')}`));
    const a = await cli(['fit-check', bad, '--truth', truth, '--out', join(base, 'bad-1')]);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(new RegExp(`^${bad}: policy: .*"uniform".*"bernoulli_thompson"`));
    const edited = join(base, 'edited-world.json');
    const doc = JSON.parse(readFileSync(join(world, 'fitted-world.json'), 'utf8')) as { positions: { theta: number }[] };
    doc.positions[1].theta = -0.6;
    writeFileSync(edited, JSON.stringify(doc));
    writeFileSync(bad, text.replace('fitted_world: fitted-world.json', `fitted_world: ${edited}`));
    const b = await cli(['fit-check', bad, '--truth', truth, '--out', join(base, 'bad-2')]);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(new RegExp(`^${edited}: positions\\.1\\.theta: `));
  });

  it('refuses a world fitted on the truth log, by its folder and by its rows under another folder', async () => {
    const same = await cli(['fit-check', world, '--truth', fittedOn, '--out', join(base, 'own-1')]);
    expect(same.code).toBe(2);
    expect(same.err).toMatch(/was fitted on this log \(the same folder\); a world matching its own log is no validation/);
    const again = await importLog(base, 'check-fit-log-again', syntheticLog(31).csv);
    const copy = await cli(['fit-check', world, '--truth', again, '--out', join(base, 'own-2')]);
    expect(copy.code).toBe(2);
    expect(copy.err).toMatch(/was fitted on this log \(the same rows, digest 30000:[0-9a-f]+\)/);
  }, 30_000);
});
