/**
 * Where a loop-benchmark case's memory sits, epoch by epoch: the process's resident set, V8's
 * heap and its ArrayBuffers, and the owners of the typed memory reachable from the simulation
 * (support/typed-memory.ts), largest first. One thread; the walk between epochs is not timed.
 *
 *   node --max-semi-space-size=64 --import tsx bench/memory-owners.ts <case> [--days N] [--depth 6] [--top 20] [--set key=value …]
 */
import { parseArgs } from 'node:util';
import { buildParts } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';
import { CASES, caseScenario } from './cases.js';
import { typedMemoryByOwner } from './support/typed-memory.js';

const { values, positionals } = parseArgs({
  options: {
    days: { type: 'string' },
    depth: { type: 'string', default: '6' },
    top: { type: 'string', default: '20' },
    set: { type: 'string', multiple: true, default: [] },
  },
  allowPositionals: true,
});
const benchCase = CASES.find((c) => c.name === positionals[0]);
if (!benchCase) throw new Error(`usage: bench/memory-owners.ts <case> [--days N]; cases: ${CASES.map((c) => c.name).join(', ')}`);
const depth = Number(values.depth);
const top = Number(values.top);
const { scenario } = await caseScenario(benchCase, values.set ?? [], values.days === undefined ? undefined : Number(values.days));

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
const sim = new Simulation(buildParts(scenario));
await sim.run(({ metrics }) => {
  // Read before the walk, whose own bookkeeping would count as heap.
  const usage = process.memoryUsage();
  const owners = typedMemoryByOwner(sim, 'simulation', depth);
  const reached = owners.reduce((sum, o) => sum + o.bytes, 0);
  console.log(
    `epoch ${metrics.epoch} (${metrics.slates} slates): rss ${mib(usage.rss)} MiB, heap used ${mib(usage.heapUsed)}, array buffers ${mib(usage.arrayBuffers)}, of which reached from the simulation ${mib(reached)}`,
  );
  for (const owner of owners.slice(0, top)) console.log(`${mib(owner.bytes).padStart(10)} MiB  ${owner.path} (${owner.buffers} buffer${owner.buffers === 1 ? '' : 's'})`);
});
