/** The markdown tables `npm run bench` writes into docs/PERFORMANCE.md from one results file. */
import type { CaseResult } from '../case-worker.js';
import type { BenchCase } from '../cases.js';

export interface BenchRun {
  readonly date: string;
  readonly machine: { readonly cpus: number; readonly cpu: string; readonly memory_gib: number; readonly node: string };
  readonly backend: string;
  readonly matmul_gflops: number;
  readonly cases: readonly CaseResult[];
}

const fixed = (x: number, digits = 0): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function duration(seconds: number): string {
  if (seconds < 120) return `${fixed(seconds, 1)} s`;
  if (seconds < 7200) return `${fixed(seconds / 60, 1)} min`;
  return `${fixed(seconds / 3600, 1)} h`;
}

/**
 * The whole horizon from its first days. A world's traffic grows as its recommender improves
 * (users come back more often), so later days cost more than the measured ones: each day left
 * costs the last measured day's time in proportion to the traffic estimate's slates for the two
 * days (src/run/traffic-estimate.ts). Results without the estimate give a floor, each day left
 * at the last measured day's cost.
 */
function projection(r: CaseResult): string {
  const last = r.day_seconds?.at(-1);
  // Results written before day_seconds was recorded: the old linear figure, as it was labelled.
  if (last === undefined) return `${duration((r.loop_seconds * r.days_total) / r.days_measured)} (linear in days)`;
  const expected = r.estimated_day_slates;
  if (expected === undefined) return `≥ ${duration(r.loop_seconds + last * (r.days_total - r.days_measured))} (each day left as long as day ${r.days_measured - 1})`;
  const perSlate = last / expected[r.days_measured - 1];
  const left = expected.slice(r.days_measured).reduce((sum, slates) => sum + slates, 0);
  return `≈ ${duration(r.loop_seconds + perSlate * left)} (day ${r.days_measured - 1}'s time a slate, estimated traffic)`;
}

export function performanceTables(run: BenchRun, cases: readonly BenchCase[]): string {
  const label = (name: string) => cases.find((c) => c.name === name)?.label ?? name;
  const lines = [
    `Measured ${run.date} by \`npm run bench\` (bench/results/${run.date}.json): ${run.machine.cpus} × ${run.machine.cpu}, ` +
      `${fixed(run.machine.memory_gib, 0)} GiB, Node ${run.machine.node}, model backend ${run.backend} ` +
      `(1024² matmul: ${fixed(run.matmul_gflops, 1)} GFLOP/s).`,
    '',
    '| case | days measured | slates | impressions | loop wall | impressions/s | slates/s | full horizon (projected) | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of run.cases) {
    const projected = r.days_measured < r.days_total ? projection(r) : '—';
    lines.push(
      `| ${label(r.case)} | ${r.days_measured} of ${r.days_total} | ${fixed(r.slates)} | ${fixed(r.impressions)} | ${duration(r.loop_seconds)} | ` +
        `${fixed(r.impressions / r.loop_seconds)} | ${fixed(r.slates / r.loop_seconds)} | ${projected} | ${fixed(r.peak_rss_mib)} MiB |`,
    );
  }
  const phases = [...new Set(run.cases.flatMap((r) => Object.keys(r.phases)))];
  const total = (p: string) => run.cases.reduce((s, r) => s + (r.phases[p] ?? 0) / r.loop_seconds, 0);
  phases.sort((a, b) => total(b) - total(a));
  lines.push('', 'Seconds per phase (share of the loop\'s wall time), from the CPU profile (bench/support/phase-profile.ts says how samples are charged):', '');
  lines.push(`| phase | ${run.cases.map((r) => r.case).join(' | ')} |`, `|---|${run.cases.map(() => '---|').join('')}`);
  for (const p of phases) {
    const cells = run.cases.map((r) => {
      const s = r.phases[p] ?? 0;
      return s === 0 ? '—' : `${fixed(s, 1)} (${fixed((100 * s) / r.loop_seconds)}%)`;
    });
    lines.push(`| ${p} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
