/**
 * How much common random numbers buy in twin worlds: for each headline metric, the variance of
 * the per-seed difference between two arms against the sum of their variances across seeds.
 * Independent arms give a ratio of 1; the lower the ratio, the narrower a paired interval is
 * than an unpaired one for the same seeds (its width scales with the square root).
 *
 *   npx tsx bench/crn.ts [--replicas 8] [--users 1000] [--days 14]
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Comparison } from '../src/experiment/comparison.js';
import { runExperiment } from '../src/experiment/run-experiment.js';
import { HEADLINE_METRICS } from '../src/experiment/table.js';
import { parseScenario } from '../src/scenario/index.js';
import { option } from './support/experiment-bench.js';

const replicas = Number(option('replicas', '8'));
const users = Number(option('users', '1000'));
const days = Number(option('days', '14'));

const scenario = parseScenario(
  `name: bench-crn
seed: 3
horizon: { days: ${days} }
schedule: { kind: continuous, batch_window: 1m }
world:
  topics: 20
  users: { count: ${users}, signups_per_day: 10 }
  items: { count: 1000, uploads_per_day: 20, creators: 100 }
recommender: { kind: popularity, slate_size: 10, window: 3d, random_startup: 1d }
replicas: ${replicas}
logs: { impressions: false }
experiment:
  control: window_3d
  measure_from: 1d
  arms:
    window_3d: {}
    window_2d: { window: 2d }
    epsilon_5: { exploration: { policy: epsilon_greedy, epsilon: 0.05 } }
`,
  'bench-crn.yaml',
);

const variance = (xs: readonly number[]): number => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
};

const outDir = join(tmpdir(), `recloop-bench-crn-${process.pid}`);
await runExperiment(scenario, { outDir, force: true });
const comparison = JSON.parse(readFileSync(join(outDir, 'comparison.json'), 'utf8')) as Comparison;
console.log(`twin worlds, ${replicas} seeds, ${users} users, ${days} days: Var(treatment − control) / (Var treatment + Var control)`);
console.log(`${'metric'.padEnd(32)} ${'window_2d'.padStart(10)} ${'epsilon_5'.padStart(10)}`);
for (const metric of HEADLINE_METRICS) {
  const arms = comparison.metrics[metric]?.arms;
  if (!arms) continue;
  const present = (xs: readonly (number | null)[]): number[] => xs.map((x) => x ?? Number.NaN);
  const control = present(arms.window_3d.replicas);
  const ratio = (arm: string): string => {
    const treatment = present(arms[arm].replicas);
    const both = variance(treatment) + variance(control);
    return both > 0 ? (variance(treatment.map((x, i) => x - control[i])) / both).toFixed(3) : 'n/a';
  };
  console.log(`${metric.padEnd(32)} ${ratio('window_2d').padStart(10)} ${ratio('epsilon_5').padStart(10)}`);
}
