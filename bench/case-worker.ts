/**
 * One loop-benchmark case in a process of its own (so its peak memory is its own), under the
 * CPU profiler; prints one JSON line: work done, wall time, seconds per phase, peak RSS. A case
 * split over threads (`workers`) runs as `recloop run --workers` does, and the profile, so the
 * phases, are the main thread's (its waits for the other thread among them, as idle).
 *
 *   node --max-semi-space-size=64 --import tsx bench/case-worker.ts <case> [--days N] [--epochs] [--profiles DIR] [--set key=value …]
 *
 * `--days N` measures N days instead of the case's own cap (the whole horizon at most);
 * `--set key=value` (repeatable) changes a setting of the case, e.g. to measure it with a ranking
 * cascade (`--set 'recommender.ranker.prerank={keep: 60}'`);
 * `--epochs` prints each epoch's largest phases as it ends; `--profiles DIR` also writes each
 * epoch's CPU profile there (epoch-E.cpuprofile).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { buildServing } from '../src/run/run-scenario.js';
import { Simulation } from '../src/simulation/simulation.js';
import { dailySlates } from '../src/run/traffic-estimate.js';
import { CASES, caseScenario } from './cases.js';
import { phaseSeconds, type CpuProfile } from './support/phase-profile.js';

export interface CaseResult {
  readonly case: string;
  /** Threads the run was split over; absent (one) before 2026-12-08. */
  readonly workers?: number;
  readonly days_measured: number;
  readonly days_total: number;
  readonly users: number;
  readonly items: number;
  readonly slates: number;
  readonly impressions: number;
  readonly build_seconds: number;
  readonly loop_seconds: number;
  /** Each measured day's wall time (an epoch a day), in order; absent from results written before 2026-12-07. */
  readonly day_seconds?: readonly number[];
  /** The traffic estimate's slates for each day of the whole horizon (src/run/traffic-estimate.ts); absent before 2026-12-07 (late). */
  readonly estimated_day_slates?: readonly number[];
  readonly phases: Record<string, number>;
  readonly peak_rss_mib: number;
}

const name = process.argv[2];
const benchCase = CASES.find((c) => c.name === name);
if (!benchCase) throw new Error(`unknown case ${name}; cases: ${CASES.map((c) => c.name).join(', ')}`);

// Every value after a --set, in order.
const sets = process.argv.flatMap((arg, k) => (arg === '--set' && k + 1 < process.argv.length ? [process.argv[k + 1]] : []));
const daysFlag = process.argv.indexOf('--days');
const { scenario, full, days, totalDays } = await caseScenario(benchCase, sets, daysFlag > 0 ? Number(process.argv[daysFlag + 1]) : undefined);

const profilesFlag = process.argv.indexOf('--profiles');
const profileDir = profilesFlag > 0 ? process.argv[profilesFlag + 1] : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const perEpoch = profileDir !== undefined || process.argv.includes('--epochs');

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 1000 });
const buildStart = performance.now();
// On several threads the others simulate their users' shards; this one's profile is its own.
const serving = await buildServing(scenario, benchCase.workers ?? 1);
const sim = new Simulation(serving.parts);
const loopStart = performance.now();
// Profiled from here: the phases add up to the loop's wall time.
await session.post('Profiler.start');
let slates = 0;
let impressions = 0;
const daySeconds: number[] = [];
let dayStart = loopStart;
const phases: Record<string, number> = {};
const addPhases = (profile: CpuProfile): Record<string, number> => {
  const own = phaseSeconds(profile);
  for (const [phase, seconds] of Object.entries(own)) phases[phase] = (phases[phase] ?? 0) + seconds;
  return own;
};
// With --epochs the profile is cut at every epoch end, so each epoch's own phases are printed as
// it ends; the cuts cost time inside the loop (seconds over the T-RECS cases' 100 short epochs),
// so the bench's own runs take one profile.
await sim.run(async ({ metrics }) => {
  slates += metrics.slates;
  impressions += metrics.impressions;
  const now = performance.now();
  daySeconds.push((now - dayStart) / 1000);
  dayStart = now;
  const at = ((now - loopStart) / 1000).toFixed(1);
  if (!perEpoch) return void process.stderr.write(`${name}: epoch ${metrics.epoch} done at ${at} s, ${metrics.slates} slates\n`);
  const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
  if (profileDir) writeFileSync(join(profileDir, `epoch-${metrics.epoch}.cpuprofile`), JSON.stringify(profile));
  const largest = Object.entries(addPhases(profile)).sort((a, b) => b[1] - a[1]).slice(0, 6);
  process.stderr.write(`${name}: epoch ${metrics.epoch} done at ${at} s, ${metrics.slates} slates; ${largest.map(([p, s]) => `${p} ${s.toFixed(1)}`).join(', ')}\n`);
  await session.post('Profiler.start');
});
await serving.finish();
const end = performance.now();
await serving.close();
const { profile: last } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
if (!perEpoch) addPhases(last);

const result: CaseResult = {
  case: name,
  workers: benchCase.workers ?? 1,
  days_measured: days,
  days_total: totalDays,
  users: scenario.world.users.count,
  items: scenario.world.items.count,
  slates,
  impressions,
  build_seconds: (loopStart - buildStart) / 1000,
  loop_seconds: (end - loopStart) / 1000,
  day_seconds: daySeconds,
  estimated_day_slates: Array.from(dailySlates(full)),
  phases,
  peak_rss_mib: process.resourceUsage().maxRSS / 1024,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
