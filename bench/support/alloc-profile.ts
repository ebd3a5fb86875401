/**
 * Where the loop allocates: a run on this thread under V8's sampling heap profiler, counting
 * objects the garbage collector already took (allocation, not retention). By default one
 * experiment job per arm; with `--case NAME`, the first `--days` of a loop-benchmark case
 * (bench/cases.ts, e.g. two-stage or medium). Prints the top allocation sites by bytes (with
 * their two callers) and the total garbage-collection pause time. Sources run through tsx report
 * every site at line 1; after `npm run build`, `--dist` profiles the compiled files, with real
 * line numbers.
 *
 *   npx tsx bench/support/alloc-profile.ts [--users 3000] [--days 10] [--top 25] [--dist]
 *   npx tsx bench/support/alloc-profile.ts --case two-stage [--days 6] [--top 25] [--dist]
 */
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as ExperimentModule from '../../src/experiment/run-experiment.js';
import type * as ScenarioModule from '../../src/scenario/index.js';
import type * as BuildModule from '../../src/simulation/build.js';
import type * as SimulationModule from '../../src/simulation/simulation.js';
import { CASES } from '../cases.js';
import { benchExperimentYaml, option } from './experiment-bench.js';

const caseName = process.argv.includes('--case') ? option('case', '') : undefined;
const users = Number(option('users', '3000'));
const days = Number(option('days', caseName ? '6' : '10'));
const top = Number(option('top', '25'));
const root = process.argv.includes('--dist') ? '../../dist' : '../../src';
const { runExperiment } = (await import(`${root}/experiment/run-experiment.js`)) as typeof ExperimentModule;
const { parseScenario, loadScenario } = (await import(`${root}/scenario/index.js`)) as typeof ScenarioModule;
const { buildParts } = (await import(`${root}/simulation/build.js`)) as typeof BuildModule;
const { Simulation } = (await import(`${root}/simulation/simulation.js`)) as typeof SimulationModule;

/** What to profile, and how to name it in the summary line. */
async function workload(): Promise<{ what: string; run: () => Promise<unknown> }> {
  if (caseName === undefined) {
    const scenario = parseScenario(benchExperimentYaml('alloc-profile', users, days, 1), 'alloc-profile.yaml');
    return { what: '3 jobs on one thread', run: () => runExperiment(scenario, { outDir: join(tmpdir(), `recloop-alloc-${process.pid}`), force: true, workers: 0 }) };
  }
  const benchCase = CASES.find((c) => c.name === caseName);
  if (!benchCase) throw new Error(`--case: unknown case ${caseName}; cases: ${CASES.map((c) => c.name).join(', ')}`);
  const scenario = await loadScenario(benchCase.scenario, [...benchCase.overrides, 'logs.impressions=false', `horizon.days=${days}`]);
  const simulation = new Simulation(buildParts(scenario));
  return { what: `${caseName}, ${days} days on one thread`, run: () => simulation.run() };
}

const { what, run } = await workload();

interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampleNode[];
}

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
const started = performance.now();
await run();
const seconds = (performance.now() - started) / 1000;
const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SampleNode } };

const bySite = new Map<string, number>();
let total = 0;
const frame = ({ functionName, url, lineNumber }: SampleNode['callFrame']): string =>
  `${functionName || '(anonymous)'} ${url.replace(/^.*\/(src|dist|node_modules)\//, '$1/')}:${lineNumber + 1}`;
const callers: string[] = [];
const walk = (node: SampleNode): void => {
  if (node.selfSize > 0) {
    const site = [frame(node.callFrame), ...callers.slice(-2).reverse()].join(' ← ');
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    total += node.selfSize;
  }
  callers.push(frame(node.callFrame));
  node.children.forEach(walk);
  callers.pop();
};
walk(profile.head);
console.log(`${what}: ${seconds.toFixed(1)} s, GC pauses ${(gcMs / 1000).toFixed(1)} s, sampled allocation ${(total / 2 ** 20).toFixed(0)} MiB`);
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((100 * bytes) / total).toFixed(1).padStart(5)}%  ${(bytes / 2 ** 20).toFixed(0).padStart(6)} MiB  ${site}`);
}
