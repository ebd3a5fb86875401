/**
 * Twin worlds: every arm runs the same users, items and world randomness (common random
 * numbers); only the recommender's own streams, under `root/arm:<name>`, differ by arm.
 */
import { describe, expect, it } from 'vitest';
import { runJob, type JobResult } from '../src/experiment/job.js';
import type { MetricsRow } from '../src/run/summary.js';
import { parseScenario, toResolvedYaml } from '../src/scenario/index.js';
import { buildParts } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';

const WORLD = `name: twins
seed: 11
horizon: { days: 3 }
schedule: { kind: continuous, batch_window: 1m }
world:
  topics: 8
  users: { count: 250, signups_per_day: 30 }
  items: { count: 300, uploads_per_day: 40, creators: 30 }
recommender:
  kind: popularity
  slate_size: 5
logs: { impressions: false }
`;

async function runArms(arms: string): Promise<Record<string, readonly MetricsRow[]>> {
  const scenario = parseScenario(`${WORLD}experiment:\n  control: a\n  arms: ${arms}\n`, 'twins.yaml');
  const yaml = toResolvedYaml(scenario);
  const rows: Record<string, readonly MetricsRow[]> = {};
  for (const arm of Object.keys(scenario.experiment?.arms ?? {})) {
    const result: JobResult = await runJob({ id: 0, scenarioYaml: yaml, seed: scenario.seed, arm });
    Object.assign(rows, result.arms);
  }
  return rows;
}

const column = (rows: readonly MetricsRow[], key: string): number[] => rows.map((row) => row[key]);

describe('twin worlds', () => {
  it('gives two identical arms exactly identical metrics in every epoch', async () => {
    const { a, b } = await runArms('{ a: {}, b: {} }');
    expect(a).toHaveLength(3);
    expect(a.every((row) => row.slates > 0 && row.clicks > 0)).toBe(true);
    expect(b).toEqual(a);
  });

  it('puts every arm in the very world a plain run of the scenario simulates', async () => {
    const { a } = await runArms('{ a: {} }');
    const plain: MetricsRow[] = [];
    await new Simulation(buildParts(parseScenario(WORLD, 'plain.yaml'))).run((epoch) => {
      plain.push(epoch.metrics);
    });
    expect(a).toEqual(plain);
  });

  it('shares the world across different recommenders: arrivals match, engagement does not', async () => {
    const { a, b } = await runArms('{ a: {}, b: { kind: random } }');
    for (const key of ['signups', 'new_items']) expect(column(b, key)).toEqual(column(a, key));
    expect(column(a, 'signups').reduce((s, x) => s + x, 0)).toBeGreaterThan(0);
    expect(column(b, 'ctr')).not.toEqual(column(a, 'ctr'));
    expect(column(b, 'catalog_coverage')[2]).toBeGreaterThan(column(a, 'catalog_coverage')[2]);
  });

  it('gives each arm its own recommender streams: two random arms under different names differ', async () => {
    const { a, b } = await runArms('{ a: { kind: random }, b: { kind: random } }');
    expect(column(b, 'signups')).toEqual(column(a, 'signups'));
    expect(column(b, 'impression_gini')).not.toEqual(column(a, 'impression_gini'));
  });
});
