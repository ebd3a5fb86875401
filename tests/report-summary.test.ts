/**
 * summary.md and the loaders: the rows a design doc needs, for a single run (first, last,
 * change, mean), an experiment (mean and interval per arm, difference against the control,
 * guardrails flagged) and an OPE folder (estimators against the truth); clear errors for
 * folders that are not reports' inputs.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReportData, ReportInputError, summaryMarkdown } from '../src/report/index.js';
import { comparisonFile, writeSyntheticCompare, writeSyntheticOpe, writeSyntheticRun } from './support/report-fixtures.js';
import { tempDir } from './support/scenarios.js';

/** Markdown table rows as cells, keyed by the first cell. */
function tableRows(markdown: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('| ') || line.startsWith('| ---')) continue;
    const cells = line.slice(2, -2).split(' | ');
    rows.set(cells[0], cells.slice(1));
  }
  return rows;
}

describe('summary.md', () => {
  it('single run: a header, start/end/change/mean per metric, shares as % and changes in points', async () => {
    const data = await loadReportData(writeSyntheticRun(join(tempDir(), 'run'), 20));
    const md = summaryMarkdown(data);
    expect(md.split('\n')[0]).toBe('# synthetic: recloop run report');
    expect(md).toContain('**Recommender:** two_stage');
    const rows = tableRows(md);
    expect(rows.get('Metric')).toEqual(['Start (mean of first 3 epochs)', 'End (mean of last 3 epochs)', 'Change', 'Mean over run']);
    // ctr over epochs 0–2: 0.07 + 0.001·(0+1+2)/3 + 0.002·(−0.595 − 0.198 + 0.064)/3 = 0.0705 (epoch 0 alone: 6.88%).
    const ctr = rows.get('Click-through rate');
    expect(ctr?.[0]).toBe('7.05%');
    expect(ctr?.[2]).toMatch(/^\+\d+(\.\d+)? pp$/);
    // 1300 − 6·epoch: epochs 0–2 average 1,294, epochs 17–19 average 1,192.
    expect(rows.get('Daily active users')?.slice(0, 3)).toEqual(['1,294', '1,192', '−102']);
    expect(rows.get('Watch time per active user (minutes)')).toBeDefined();
    // Retention is undefined before day 8: its start is the mean of its first defined epochs, not a 0.
    expect(rows.get('7-day retention')?.[0]).toMatch(/^8\d(\.\d+)?%$/);
    for (const label of ['Topic entropy of what users see (bits)', 'Catalog coverage', 'New items never shown', 'Retrieval latency p95 (ms)', 'ECE of the click head, calibrated (probability)', 'Cumulative regret (reward lost)']) {
      expect(rows.has(label), label).toBe(true);
    }
    expect([...rows.keys()].some((k) => k.includes('country'))).toBe(false);
    expect(md).toContain('no confidence intervals');
    expect(md).toContain('7-day retention: undefined before day 8');
    expect(md).toContain('Start and end: means over the first and last 3 epochs of the run, so one noisy epoch does not set the change');
  });

  it('single run: start and end leave out the random start-up and average the epochs at each end', async () => {
    const dir = writeSyntheticRun(join(tempDir(), 'run'), 12);
    appendFileSync(join(dir, 'scenario.resolved.yaml'), '  random_startup: 3d\n');
    const md = summaryMarkdown(await loadReportData(dir));
    // Nine measured epochs (days 4–12): three at each end. daily_active_users = 1300 − 6·epoch,
    // so epochs 3–5 average 1,276 and epochs 9–11 average 1,240; epoch 0 (1,300) is left out.
    expect(tableRows(md).get('Daily active users')?.slice(0, 3)).toEqual(['1,276', '1,240', '−36']);
    expect(md).toContain('means over the first and last 3 epochs after the shaded start-up (days 4–12)');
  });



  it('experiment: mean [95% CI] per arm, difference vs control, breached guardrails flagged', async () => {
    const data = await loadReportData(writeSyntheticCompare(join(tempDir(), 'compare')));
    const md = summaryMarkdown(data);
    const rows = tableRows(md);
    expect(rows.get('Metric')).toEqual(['greedy (control)', 'eps_0.05', 'thompson', 'eps_0.05 − greedy', 'thompson − greedy']);
    const ctr = rows.get('Click-through rate') ?? [];
    expect(ctr).toHaveLength(5);
    for (const cell of ctr.slice(0, 3)) expect(cell).toMatch(/^[\d.]+% \[[\d.]+%, [\d.]+%\]$/);
    expect(ctr[3]).toMatch(/^\+[\d.]+ pp \[.+ pp, .+ pp\]$/);
    const satisfaction = rows.get('True satisfaction per click (true utility)') ?? [];
    expect(satisfaction[4]).toMatch(/^\*\*−0\.02 \[.*\] ⚠ guardrail breached\*\*$/);
    expect(satisfaction[3]).toContain('? guardrail uncertain');
    expect(md).toContain('thompson, True satisfaction per click: guardrail ⚠ breached');
    expect(md).toContain('Means and differences count only epochs that end after day 2');
    expect(md).toContain('Guardrails not checked, because no arm reported the metric: retention_30d');
    expect(md).toContain('**Replicas per arm:** 5 (seeds 7, 8, 9, 10, 11)');
  });

  it('OPE folder: the truth, then each estimator with its interval, error and coverage', async () => {
    const data = await loadReportData(writeSyntheticOpe(join(tempDir(), 'ope')));
    const rows = tableRows(summaryMarkdown(data));
    expect(rows.get('truth (twin world)')?.[0]).toMatch(/^0\.84 \[0\.82, 0\.86\]$/);
    expect(rows.get('ips')).toEqual(['0.9 [0.82, 0.98]', '+0.06', 'yes']);
    expect(rows.get('dm')).toEqual(['1.1 [1.08, 1.12]', '+0.26', '**no ⚠**']);
  });
});

describe('loading report inputs', () => {
  it('names the folder when it holds nothing a report can use', async () => {
    const dir = tempDir();
    await expect(loadReportData(dir)).rejects.toThrow(ReportInputError);
    await expect(loadReportData(dir)).rejects.toThrow(/not a run folder \(metrics\.jsonl\), a compare folder \(comparison\.json\), an OPE folder \(ope\.json or ope-log\.json\) or a fitted world.s check \(fit-check\.json\)/);
    await expect(loadReportData(join(dir, 'missing'))).rejects.toThrow(/no such folder/);
  });

  it('names the file, line or field that is wrong', async () => {
    const run = writeSyntheticRun(join(tempDir(), 'run'), 3);
    writeFileSync(join(run, 'metrics.jsonl'), '{"epoch":0,"ctr":0.1}\n{oops\n');
    await expect(loadReportData(run)).rejects.toThrow(/metrics\.jsonl:2: not JSON/);
    const compare = writeSyntheticCompare(join(tempDir(), 'compare'), 3, 2);
    const broken = { ...comparisonFile(3, 2), seeds: 'many' };
    writeFileSync(join(compare, 'comparison.json'), JSON.stringify(broken));
    await expect(loadReportData(compare)).rejects.toThrow(/comparison\.json: .*seeds/);
  });

  it('reads a single-replica experiment without inventing intervals', async () => {
    const dir = join(tempDir(), 'compare');
    const file = comparisonFile(4, 1);
    for (const metric of Object.values(file.metrics)) {
      for (const [arm, stats] of Object.entries(metric.arms)) {
        const series = { ...stats.series, ci95_low: stats.series.mean.map(() => null), ci95_high: stats.series.mean.map(() => null) };
        const vs = stats.vs_control && { ...stats.vs_control, ci95: null };
        (metric.arms as Record<string, typeof stats>)[arm] = { ...stats, ci95: null, vs_control: vs, series };
      }
    }
    writeSyntheticCompare(dir, 4, 1);
    writeFileSync(join(dir, 'comparison.json'), JSON.stringify(file));
    const data = await loadReportData(dir);
    expect(data.series.every((p) => p.ci_low === undefined)).toBe(true);
    const md = summaryMarkdown(data);
    expect(md).toContain('no interval with one replica');
    expect(tableRows(md).get('Click-through rate')?.[0]).toMatch(/^[\d.]+%$/);
  });
});
