/**
 * One loop-benchmark case in a process of its own (so its peak memory is its own), under the
 * CPU profiler; prints one JSON line: work done, wall time, seconds per phase, peak RSS.
 *
 *   npx tsx bench/case-worker.ts <case>
 */
import { Session } from 'node:inspector/promises';
import { loadScenario } from '../src/scenario/index.js';
import { buildParts } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';
import { CASES } from './cases.js';
import { phaseSeconds, type CpuProfile } from './support/phase-profile.js';

export interface CaseResult {
  readonly case: string;
  readonly days_measured: number;
  readonly days_total: number;
  readonly users: number;
  readonly items: number;
  readonly slates: number;
  readonly impressions: number;
  readonly build_seconds: number;
  readonly loop_seconds: number;
  readonly phases: Record<string, number>;
  readonly peak_rss_mib: number;
}

const name = process.argv[2];
const benchCase = CASES.find((c) => c.name === name);
if (!benchCase) throw new Error(`unknown case ${name}; cases: ${CASES.map((c) => c.name).join(', ')}`);

const full = await loadScenario(benchCase.scenario, [...benchCase.overrides, 'logs.impressions=false']);
const days = Math.min(benchCase.days ?? full.horizon.days, full.horizon.days);
const scenario = await loadScenario(benchCase.scenario, [...benchCase.overrides, 'logs.impressions=false', `horizon.days=${days}`]);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 1000 });
const buildStart = performance.now();
const sim = new Simulation(buildParts(scenario));
const loopStart = performance.now();
// Profiled from here: the phases add up to the loop's wall time.
await session.post('Profiler.start');
let slates = 0;
let impressions = 0;
await sim.run(({ metrics }) => {
  slates += metrics.slates;
  impressions += metrics.impressions;
  process.stderr.write(`${name}: epoch ${metrics.epoch} done\n`);
});
const end = performance.now();
const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };

const result: CaseResult = {
  case: name,
  days_measured: days,
  days_total: full.horizon.days,
  users: scenario.world.users.count,
  items: scenario.world.items.count,
  slates,
  impressions,
  build_seconds: (loopStart - buildStart) / 1000,
  loop_seconds: (end - loopStart) / 1000,
  phases: phaseSeconds(profile),
  peak_rss_mib: process.resourceUsage().maxRSS / 1024,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
