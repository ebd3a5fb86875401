/** The loop benchmark's table (bench/support/performance-tables.ts): what it projects for a long horizon from its first days. */
import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../bench/case-worker.js';
import { performanceTables, type BenchRun } from '../bench/support/performance-tables.js';

const machine = { cpus: 2, cpu: 'test', memory_gib: 24, node: 'v20' };

function tableRow(result: CaseResult): string {
  const run: BenchRun = { date: '2026-12-07', machine, backend: 'wasm', matmul_gflops: 30, cases: [result] };
  const row = performanceTables(run, []).split('\n').find((line) => line.startsWith(`| ${result.case} |`));
  if (row === undefined) throw new Error('no row for the case');
  return row;
}

const measured = { case: 'medium', users: 20_000, items: 50_000, slates: 1000, impressions: 10_000, build_seconds: 1, phases: {}, peak_rss_mib: 1000 };

describe('the loop benchmark table', () => {
  it('without the traffic estimate, projects a floor: the measured days, then each day left at the last one’s cost', () => {
    // 4 of 60 days: 10 + 10 + 20 + 40 s measured; 56 days left at 40 s: 80 + 2,240 s = 38.7 min.
    const row = tableRow({ ...measured, days_measured: 4, days_total: 60, loop_seconds: 80, day_seconds: [10, 10, 20, 40] });
    expect(row).toContain('≥ 38.7 min (each day left as long as day 3)');
  });

  it('projects each day left at the last one’s time a slate, scaled by the traffic estimate', () => {
    // Day 3 took 40 s for an estimated 100 slates; the 56 days left are estimated at 200 each: 80 + 56 × 80 s = 76.0 min.
    const estimated = [50, 50, 80, 100, ...Array.from({ length: 56 }, () => 200)];
    const row = tableRow({ ...measured, days_measured: 4, days_total: 60, loop_seconds: 80, day_seconds: [10, 10, 20, 40], estimated_day_slates: estimated });
    expect(row).toContain("≈ 76.0 min (day 3's time a slate, estimated traffic)");
  });

  it('labels a results file without each day’s time as the linear projection it was', () => {
    const row = tableRow({ ...measured, days_measured: 4, days_total: 60, loop_seconds: 80 });
    expect(row).toContain('20.0 min (linear in days)');
  });

  it('projects nothing for a case measured over its whole horizon', () => {
    const row = tableRow({ ...measured, days_measured: 14, days_total: 14, loop_seconds: 40, day_seconds: Array.from({ length: 14 }, () => 40 / 14) });
    expect(row.split('|')[8].trim()).toBe('—');
  });
});
