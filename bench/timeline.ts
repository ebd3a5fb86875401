/**
 * What each thread of a run did when: the CPU profiles of a run's threads (`node --cpu-prof
 * --cpu-prof-dir DIR dist/cli/main.js run … --workers N` writes one per thread), charged to the
 * loop benchmark's phases (support/phase-profile.ts) in bins of `--bin` seconds from the first
 * profile's start, the largest two phases of each bin side by side. Shows, for instance, a
 * thread waiting ("idle / V8") while another trains at a retrain.
 *
 *   npx tsx bench/timeline.ts DIR/*.cpuprofile [--bin 2]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { phaseTimeline, type CpuProfile } from './support/phase-profile.js';

const { values, positionals } = parseArgs({ options: { bin: { type: 'string', default: '2' } }, allowPositionals: true });
const bin = Number(values.bin);
if (!(bin > 0) || positionals.length === 0) throw new Error('usage: npx tsx bench/timeline.ts PROFILE... [--bin SECONDS]');
// A profile of the built CLI names dist/ files; the phases are read from src/ paths.
const profiles = positionals.map((file) => JSON.parse(readFileSync(file, 'utf8').replace(/\/dist\/([^"]*?)\.js"/g, '/src/$1.ts"')) as CpuProfile);
const origin = Math.min(...profiles.map((p) => p.startTime ?? 0));
const timelines = profiles.map((p) => phaseTimeline(p, bin, origin));
const top = (seconds: Record<string, number> | undefined): string =>
  Object.entries(seconds ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([phase, s]) => `${phase} ${Math.round((100 * s) / bin)}%`)
    .join(', ');
console.log(['seconds', ...positionals.map((_, t) => `thread ${t}`)].join(' | '));
const bins = Math.max(...timelines.map((t) => t.length));
for (let b = 0; b < bins; b++) console.log([String(b * bin).padStart(7), ...timelines.map((t) => top(t[b]).padEnd(44))].join(' | '));
