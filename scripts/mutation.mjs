/**
 * `npm run mutation [-- --group ope --group metrics] [-- --force]`: runs StrykerJS once per group
 * (all groups by default), then prints and stores each group's score and run time in
 * reports/mutation/<group>/summary.json. Other arguments go to `stryker run` unchanged.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GROUPS, GROUP_ORDER } from './mutation-groups.mjs';

const args = process.argv.slice(2);
const groups = [];
const passThrough = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--group') groups.push(...(args[++i] ?? '').split(','));
  else if (args[i].startsWith('--group=')) groups.push(...args[i].slice('--group='.length).split(','));
  else passThrough.push(args[i]);
}
const unknown = groups.filter((g) => !(g in GROUPS));
if (unknown.length > 0) {
  console.error(`unknown group ${unknown.join(', ')}; groups: ${GROUP_ORDER.join(', ')}`);
  process.exit(2);
}

// Mutation runs are background work: let tests and builds of the same machine go first.
// Stryker's workers inherit the lowered priority.
try {
  setPriority(10);
} catch {
  // not permitted here: run at normal priority
}

// The package exports no bin path: find it next to its package.json.
const corePackage = createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json');
const stryker = join(dirname(corePackage), 'bin', 'stryker.js');
const DETECTED = ['Killed', 'Timeout'];
const UNDETECTED = ['Survived', 'NoCoverage'];

/** Counts mutant statuses in a mutation-testing-report-schema JSON report. */
function summarise(reportFile) {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const counts = {};
  const files = {};
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const perFile = {};
    for (const { status } of mutants) {
      counts[status] = (counts[status] ?? 0) + 1;
      perFile[status] = (perFile[status] ?? 0) + 1;
    }
    files[file] = perFile;
  }
  return { counts, score: score(counts), files };
}

function score(counts) {
  const detected = DETECTED.reduce((s, k) => s + (counts[k] ?? 0), 0);
  const undetected = UNDETECTED.reduce((s, k) => s + (counts[k] ?? 0), 0);
  return detected + undetected === 0 ? null : Math.round((1000 * detected) / (detected + undetected)) / 10;
}

let failed = false;
const rows = [];
for (const name of groups.length > 0 ? groups : GROUP_ORDER) {
  console.log(`\n=== mutation group ${name} ===`);
  const started = Date.now();
  const run = spawnSync(process.execPath, [stryker, 'run', 'stryker.config.mjs', ...passThrough], {
    stdio: 'inherit',
    env: { ...process.env, RECLOOP_MUTATION_GROUP: name },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const reportFile = `reports/mutation/${name}/report.json`;
  if (run.status !== 0 || !existsSync(reportFile)) {
    failed = true;
    rows.push(`${name}: stryker failed (exit ${run.status})`);
    continue;
  }
  const summary = { group: name, date: new Date().toISOString().slice(0, 10), seconds, ...summarise(reportFile) };
  writeFileSync(`reports/mutation/${name}/summary.json`, `${JSON.stringify(summary, null, 2)}\n`);
  const c = summary.counts;
  rows.push(
    `${name}: ${summary.score}% killed=${c.Killed ?? 0} timeout=${c.Timeout ?? 0} survived=${c.Survived ?? 0} ` +
      `no-coverage=${c.NoCoverage ?? 0} ignored=${c.Ignored ?? 0} in ${seconds}s`,
  );
}
console.log(`\n${rows.join('\n')}`);
process.exit(failed ? 1 : 0);
