/**
 * One run served on 1, 2, … threads (`recloop run --workers N`): wall time, impressions per second,
 * the speed-up over one thread, peak memory, and whether the run folders agree. Each run is a
 * `recloop run` process of its own. With `--ceiling`, N one-thread runs at once besides, for
 * each N above 1: what N cores give N independent copies of the work (N × one run's time over
 * their time each), the most one run split over N threads could reach on this machine.
 *
 *   npx tsx bench/parallel-serving.ts                                   # scenarios/two-stage.yaml on 1 and 2 threads
 *   npx tsx bench/parallel-serving.ts --ceiling                         # and two one-thread runs at once
 *   npx tsx bench/parallel-serving.ts --scenario S --workers 1,2,3 --set horizon.days=5
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withHugePages } from '../src/core/huge-pages.js';
import { HEAP_FLAGS } from '../src/core/young-generation.js';

const args = process.argv.slice(2);
const option = (name: string): string[] => args.flatMap((a, i) => (args[i - 1] === name ? [a] : []));
const scenario = option('--scenario')[0] ?? 'scenarios/two-stage.yaml';
const workers = (option('--workers')[0] ?? '1,2').split(',').map(Number);
const sets = option('--set').flatMap((s) => ['--set', s]);
const root = mkdtempSync(join(tmpdir(), 'recloop-parallel-'));

interface Measured {
  readonly workers: number;
  readonly seconds: number;
  readonly impressions: number;
  readonly peakMib: number;
  readonly metrics: string;
}

/** One `recloop run` on `n` threads into `out`; its peak memory is the one it records in run.json. */
function run(n: number, out = join(root, `workers-${n}`)): Promise<Measured> {
  const cli = [...HEAP_FLAGS, '--import', 'tsx', 'src/cli/main.ts', 'run', scenario, '--out', out, '--workers', String(n), '--no-report', '--no-logs', ...sets];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cli, { stdio: ['ignore', 'ignore', 'inherit'], env: withHugePages(process.env) });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`recloop run --workers ${n} failed (exit ${code})`));
      const seconds = (performance.now() - started) / 1000;
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { totals: { impressions: number } };
      const runInfo = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { peak_rss_mib: number };
      resolve({ workers: n, seconds, impressions: summary.totals.impressions, peakMib: runInfo.peak_rss_mib, metrics: readFileSync(join(out, 'metrics.jsonl'), 'utf8') });
    });
  });
}

const results: Measured[] = [];
for (const n of workers) {
  process.stderr.write(`${scenario}: ${n} thread(s)…\n`);
  results.push(await run(n));
}
const base = results[0];
console.log(`${scenario} ${sets.join(' ')}`);
console.log('threads  wall s  impressions/s  speed-up  peak MiB  same metrics as first');
for (const r of results) {
  const rate = Math.round(r.impressions / r.seconds).toLocaleString('en-US');
  console.log(`${String(r.workers).padStart(7)}  ${r.seconds.toFixed(1).padStart(6)}  ${rate.padStart(13)}  ${(base.seconds / r.seconds).toFixed(2).padStart(7)}×  ${String(r.peakMib).padStart(8)}  ${r.metrics === base.metrics ? 'yes' : 'NO'}`);
}
if (args.includes('--ceiling')) {
  console.log('one-thread runs at once  wall s each  ceiling (runs × one alone / each)');
  for (const n of workers.filter((w) => w > 1)) {
    process.stderr.write(`${scenario}: ${n} one-thread runs at once…\n`);
    const copies = await Promise.all(Array.from({ length: n }, (_, k) => run(1, join(root, `copy-${n}-${k}`))));
    const each = copies.reduce((sum, r) => sum + r.seconds, 0) / n;
    console.log(`${String(n).padStart(23)}  ${copies.map((r) => r.seconds.toFixed(1)).join(', ').padStart(11)}  ${((n * base.seconds) / each).toFixed(2).padStart(7)}×`);
  }
}
