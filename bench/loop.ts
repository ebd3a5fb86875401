/**
 * Throughput of the closed loop with the popularity baseline: simulated requests (slates) and
 * impressions per second, and peak memory, for scenarios/popularity.yaml and for 10k and 100k users.
 * Each case runs in its own process so peak RSS belongs to that case alone.
 *
 *   npm run bench:loop            # all cases
 *   npx tsx bench/loop.ts --case 10k
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/index.js';
import { buildParts } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';

interface BenchCase {
  readonly name: string;
  readonly overrides: readonly string[];
}

const POPULARITY = 'scenarios/popularity.yaml';
const CASES: readonly BenchCase[] = [
  { name: 'popularity', overrides: [] },
  {
    name: '10k',
    overrides: ['world.users.count=10000', 'world.users.signups_per_day=100', 'world.items.count=10000', 'world.items.uploads_per_day=200', 'horizon.days=14'],
  },
  {
    name: '100k',
    overrides: ['world.users.count=100000', 'world.users.signups_per_day=1000', 'world.items.count=50000', 'world.items.uploads_per_day=1000', 'horizon.days=7'],
  },
];

async function runCase(c: BenchCase): Promise<void> {
  // The loop alone: impression logs stay in memory for retraining but are not written.
  const scenario = await loadScenario(POPULARITY, [...c.overrides, 'logs.impressions=false']);
  const buildStart = performance.now();
  const sim = new Simulation(buildParts(scenario));
  const buildSeconds = (performance.now() - buildStart) / 1000;
  let slates = 0;
  let impressions = 0;
  let peakHeap = 0;
  const start = performance.now();
  await sim.run(({ metrics }) => {
    impressions += metrics.impressions;
    slates += metrics.slates;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  });
  const seconds = (performance.now() - start) / 1000;
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  const row = {
    case: c.name,
    users: scenario.world.users.count,
    items: scenario.world.items.count,
    days: scenario.horizon.days,
    build_s: round(buildSeconds),
    sim_s: round(seconds),
    requests: slates,
    requests_per_s: Math.round(slates / seconds),
    impressions,
    impressions_per_s: Math.round(impressions / seconds),
    peak_rss_mib: Math.round(rssMiB),
    peak_heap_mib: Math.round(peakHeap / 2 ** 20),
  };
  console.log(JSON.stringify(row));
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

const caseArg = process.argv.indexOf('--case');
if (caseArg >= 0) {
  const c = CASES.find((x) => x.name === process.argv[caseArg + 1]);
  if (!c) throw new Error(`unknown case ${process.argv[caseArg + 1]}; expected one of ${CASES.map((x) => x.name).join(', ')}`);
  await runCase(c);
} else {
  const self = fileURLToPath(import.meta.url);
  console.log(`bench/loop: popularity baseline, node ${process.version}`);
  for (const c of CASES) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--case', c.name], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (child.status !== 0) process.exitCode = 1;
  }
}
