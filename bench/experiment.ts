/**
 * Experiment throughput: the same multi-seed twin-world comparison on 1 worker process and on 2,
 * printing wall time, the speed-up and the machine's load. Other processes share the cores, so
 * the bench also measures the ceiling of the moment: how much faster two threads spinning on
 * pure arithmetic get through twice the work of one (2.0× on two idle cores). The runs must
 * give the same comparison, which is checked.
 *
 * It runs the compiled JavaScript (building it first), as `recloop compare` does; `--sources`
 * runs the TypeScript sources instead, where every worker first loads tsx's compiler. A shared
 * machine's speed drifts from minute to minute, so `--rounds N` repeats the worker counts in turn
 * and prints the median speed-up.
 *
 *   npx tsx bench/experiment.ts [--replicas 4] [--users 2000] [--days 6] [--workers 1,2] [--rounds 1] [--sources]
 */
import { readFileSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import type * as ExperimentModule from '../src/experiment/run-experiment.js';
import type * as ScenarioModule from '../src/scenario/index.js';
import { benchExperimentYaml, option } from './support/experiment-bench.js';


const replicas = Number(option('replicas', '4'));
const users = Number(option('users', '2000'));
const days = Number(option('days', '6'));
const workerCounts = option('workers', '1,2').split(',').map(Number);
const rounds = Number(option('rounds', '1'));
const fromSources = process.argv.includes('--sources');
if (!fromSources) execSync('npm run build --silent', { stdio: 'inherit' });
const root = fromSources ? '../src' : '../dist';
const { runExperiment } = (await import(`${root}/experiment/run-experiment.js`)) as typeof ExperimentModule;
const { parseScenario } = (await import(`${root}/scenario/index.js`)) as typeof ScenarioModule;

const scenario = parseScenario(benchExperimentYaml('bench-experiment', users, days, replicas), 'bench-experiment.yaml');

const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

/** Wall seconds for `threads` threads each spinning through the same fixed arithmetic. */
async function spin(threads: number): Promise<number> {
  const code = `let x = 0; for (let i = 0; i < 3e8; i++) x = (x + i * 7) % 1000003; require('node:worker_threads').parentPort.postMessage(x);`;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: threads }, () => new Promise<void>((resolve, reject) => {
      const worker = new Worker(code, { eval: true });
      worker.once('message', () => void worker.terminate().then(() => resolve()));
      worker.once('error', reject);
    })),
  );
  return (performance.now() - started) / 1000;
}

async function ceiling(): Promise<void> {
  const one = await spin(1);
  const two = await spin(2);
  console.log(`pure-CPU ceiling now: 1 thread ${one.toFixed(1)} s, 2 threads (twice the work) ${two.toFixed(1)} s → ${((2 * one) / two).toFixed(2)}×   loadavg ${load()}`);
}
console.log(`cores: ${availableParallelism()} (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}`);
console.log(`experiment: 3 arms × ${replicas} replicas = ${3 * replicas} jobs; ${users} users, ${days} days each; ${fromSources ? 'TypeScript sources' : 'compiled JavaScript'}`);

await ceiling();
const speedUps = new Map<number, number[]>();
let reference: string | undefined;
for (let round = 1; round <= rounds; round++) {
  const seconds = new Map<number, number>();
  for (const workers of workerCounts) {
    const outDir = join(tmpdir(), `recloop-bench-experiment-${process.pid}-${workers}`);
    const before = load();
    const outcome = await runExperiment(scenario, { outDir, force: true, workers });
    const comparison = readFileSync(join(outDir, 'comparison.json'), 'utf8');
    const info = JSON.parse(readFileSync(join(outDir, 'experiment.json'), 'utf8')) as { jobs: { wall_seconds: number }[] };
    rmSync(outDir, { recursive: true, force: true });
    reference ??= comparison;
    if (comparison !== reference) throw new Error(`comparison with ${workers} workers differs from the first run`);
    const jobSeconds = info.jobs.reduce((s, j) => s + j.wall_seconds, 0);
    seconds.set(workers, outcome.wallSeconds);
    console.log(
      `${rounds > 1 ? `round ${round}: ` : ''}${workers} worker${workers === 1 ? ' ' : 's'}: ${outcome.wallSeconds.toFixed(1)} s wall (jobs ${jobSeconds.toFixed(1)} s in total)` +
        `   loadavg 1/5/15 min before: ${before}, after: ${load()}`,
    );
  }
  const one = seconds.get(1);
  for (const [workers, wall] of seconds) {
    if (one === undefined || workers === 1) continue;
    const list = speedUps.get(workers) ?? [];
    list.push(one / wall);
    speedUps.set(workers, list);
    console.log(`${rounds > 1 ? `round ${round}: ` : ''}speed-up ${workers} workers vs 1: ${(one / wall).toFixed(2)}×`);
  }
}
for (const [workers, list] of speedUps) {
  if (list.length < 2) continue;
  const sorted = [...list].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  console.log(`speed-up ${workers} workers vs 1 over ${list.length} rounds: median ${median.toFixed(2)}×, range ${sorted[0].toFixed(2)}–${sorted[sorted.length - 1].toFixed(2)}×`);
}
console.log('comparison.json identical across worker counts and rounds');
await ceiling();
