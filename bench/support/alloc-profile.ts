/**
 * Where the loop allocates: one experiment job per arm on this thread under V8's sampling heap
 * profiler, counting objects the garbage collector already took (allocation, not retention).
 * Prints the top allocation sites by bytes (with their two callers) and the total
 * garbage-collection pause time. Sources run through tsx report every site at line 1; after
 * `npm run build`, `--dist` profiles the compiled files, with real line numbers.
 *
 *   npx tsx bench/support/alloc-profile.ts [--users 3000] [--days 10] [--top 25] [--dist]
 */
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as ExperimentModule from '../../src/experiment/run-experiment.js';
import type * as ScenarioModule from '../../src/scenario/index.js';
import { benchExperimentYaml, option } from './experiment-bench.js';

const users = Number(option('users', '3000'));
const days = Number(option('days', '10'));
const top = Number(option('top', '25'));
const root = process.argv.includes('--dist') ? '../../dist' : '../../src';
const { runExperiment } = (await import(`${root}/experiment/run-experiment.js`)) as typeof ExperimentModule;
const { parseScenario } = (await import(`${root}/scenario/index.js`)) as typeof ScenarioModule;

const scenario = parseScenario(benchExperimentYaml('alloc-profile', users, days, 1), 'alloc-profile.yaml');

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
await runExperiment(scenario, { outDir: join(tmpdir(), `recloop-alloc-${process.pid}`), force: true, workers: 0 });
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
console.log(`3 jobs on one thread: ${seconds.toFixed(1)} s, GC pauses ${(gcMs / 1000).toFixed(1)} s, sampled allocation ${(total / 2 ** 20).toFixed(0)} MiB`);
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${((100 * bytes) / total).toFixed(1).padStart(5)}%  ${(bytes / 2 ** 20).toFixed(0).padStart(6)} MiB  ${site}`);
}
