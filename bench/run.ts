/**
 * `npm run bench`: the loop benchmark. Runs each case (bench/cases.ts) in a process of its own
 * under the CPU profiler, measures the model backend's 1024² matmul rate in the same run, writes
 * bench/results/<date>.json and the tables between the bench markers of docs/PERFORMANCE.md.
 *
 *   npm run bench                         # the cases that take minutes
 *   npm run bench -- --all                # and the slow ones (medium and large, on one thread and on two; T-RECS at 100k)
 *   npm run bench -- --case two-stage     # one case (repeatable)
 *   npm run bench -- --no-docs            # results file only
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { withHugePages } from '../src/core/huge-pages.js';
import { HEAP_FLAGS } from '../src/core/young-generation.js';
import { initBackend } from '../src/ml/backend.js';
import { CASES } from './cases.js';
import type { CaseResult } from './case-worker.js';
import { matmulGflops } from './support/matmul-rate.js';
import { performanceTables } from './support/performance-tables.js';

const args = process.argv.slice(2);
const named = args.flatMap((a, i) => (args[i - 1] === '--case' ? [a] : []));
const unknown = named.filter((n) => !CASES.some((c) => c.name === n));
if (unknown.length > 0) throw new Error(`unknown case ${unknown.join(', ')}; cases: ${CASES.map((c) => c.name).join(', ')}`);
const chosen = CASES.filter((c) => (named.length > 0 ? named.includes(c.name) : args.includes('--all') || !c.slow));

/** Runs one case's worker; its stderr (epoch progress) passes through. */
function runCase(name: string): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...HEAP_FLAGS, '--import', 'tsx', 'bench/case-worker.ts', name], { stdio: ['ignore', 'pipe', 'inherit'], env: withHugePages(process.env) });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`case ${name} failed (exit ${code})`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as CaseResult);
    });
  });
}

const backend = await initBackend();
const matmul = matmulGflops(1024, 5);
console.log(`backend ${backend}: 1024² matmul ${matmul.toFixed(1)} GFLOP/s`);
const results: CaseResult[] = [];
for (const c of chosen) {
  console.log(`${c.name}: ${c.label}${c.days ? ` (first ${c.days} days measured)` : ''}`);
  const result = await runCase(c.name);
  results.push(result);
  console.log(`${c.name}: ${(result.impressions / result.loop_seconds).toFixed(0)} impressions/s, ${result.loop_seconds.toFixed(1)} s, peak ${result.peak_rss_mib.toFixed(0)} MiB`);
}

const date = new Date().toISOString().slice(0, 10);
const run = {
  date,
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memory_gib: totalmem() / 2 ** 30, node: process.version },
  backend,
  matmul_gflops: matmul,
  cases: results,
};
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${date}.json`;
writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
console.log(`wrote ${file}`);
if (!args.includes('--no-docs')) {
  const doc = 'docs/PERFORMANCE.md';
  const text = readFileSync(doc, 'utf8');
  const [start, end] = ['<!-- bench:start -->', '<!-- bench:end -->'];
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${doc}: the ${start} … ${end} markers are missing`);
  writeFileSync(doc, `${text.slice(0, from + start.length)}\n${performanceTables(run, CASES)}\n${text.slice(to)}`);
  console.log(`updated ${doc}`);
}
