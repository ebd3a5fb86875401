/**
 * What checkpoints cost: a scenario's run timed with checkpoints and without (alternately, the
 * machine being shared), then the same run with a checkpoint taken after every epoch, each one's
 * seconds (walk, serialize, write) and size beside the epoch's own seconds, and a restore.
 *
 *   npx tsx bench/checkpoint.ts [scenario.yaml] [--set key=value ...] [--reps 1]
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runClasses } from '../src/checkpoint/class-index.js';
import { restoreGraph, snapshotGraph } from '../src/checkpoint/object-graph.js';
import { CHECKPOINT_FILE, readCheckpoint, writeCheckpoint } from '../src/run/checkpoint-file.js';
import { RUN_FILES, runScenario } from '../src/run/run-scenario.js';
import { loadScenario } from '../src/scenario/index.js';
import { buildParts } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';

const args = process.argv.slice(2);
const file = args[0] && !args[0].startsWith('--') ? args[0] : 'scenarios/two-stage.yaml';
const overrides = args.flatMap((arg, i) => (args[i - 1] === '--set' ? [arg] : []));
const repsAt = args.indexOf('--reps');
const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : 1;
const scenario = await loadScenario(file, [...overrides, 'logs.impressions=false']);
const dir = mkdtempSync(join(tmpdir(), 'recloop-bench-checkpoint-'));

const seconds = (from: number): number => (performance.now() - from) / 1000;
console.log(`${scenario.name} (${file} ${overrides.join(' ')}), ${scenario.horizon.days} days`);

for (let rep = 0; rep < reps; rep++) {
  for (const checkpoints of [true, false]) {
    const start = performance.now();
    const outcome = await runScenario(scenario, { outDir: join(dir, `run-${rep}-${checkpoints}`), checkpoints });
    const info = JSON.parse(readFileSync(join(outcome.dir, RUN_FILES.runInfo), 'utf8')) as { checkpoints_written: number; checkpoint_seconds: number };
    const share = ((100 * info.checkpoint_seconds) / outcome.wallSeconds).toFixed(1);
    const written = checkpoints ? ` (${info.checkpoints_written} checkpoints, ${info.checkpoint_seconds.toFixed(2)} s: ${share}%)` : '';
    console.log(`  run ${checkpoints ? 'with' : 'without'} checkpoints: ${seconds(start).toFixed(1)} s${written}`);
  }
}

const simulation = new Simulation(buildParts(scenario));
let epochStart = performance.now();
let total = 0;
let largest = 0;
await simulation.run(async (result) => {
  const epochSeconds = seconds(epochStart);
  const walk = performance.now();
  const graph = snapshotGraph(simulation);
  const walked = seconds(walk);
  const write = performance.now();
  await writeCheckpoint(dir, { epochsDone: result.bounds.epoch + 1, force: false, graph });
  const written = seconds(write);
  const size = statSync(join(dir, CHECKPOINT_FILE)).size;
  largest = Math.max(largest, size);
  total += walked + written;
  console.log(
    `  epoch ${result.bounds.epoch}: ${epochSeconds.toFixed(2)} s; checkpoint ${(walked + written).toFixed(3)} s (walk ${walked.toFixed(3)}, serialize and write ${written.toFixed(3)}), ${(size / 2 ** 20).toFixed(1)} MiB`,
  );
  epochStart = performance.now();
});
const restoreStart = performance.now();
const saved = readCheckpoint(dir);
const classes = await runClasses();
restoreGraph(saved.graph, new Simulation(buildParts(scenario)), classes);
console.log(`  a checkpoint after every epoch: ${total.toFixed(2)} s in all, largest ${(largest / 2 ** 20).toFixed(1)} MiB; read, build and restore the last: ${seconds(restoreStart).toFixed(2)} s`);
rmSync(dir, { recursive: true, force: true });
