/**
 * Chart specs: every spec validates against Vega-Lite's JSON schema and compiles without a
 * warning; a family appears exactly when its columns (or files) exist; arms keep one colour in
 * every chart; experiments draw confidence bands, single runs do not; the oracle baseline stays
 * out of the difference chart and is named as one where it is drawn.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { meanInterval } from '../src/experiment/stats.js';
import { armColors, buildCharts, compileChart, loadReportData, loadReportInputs, summaryMarkdown, type Chart, type ReportData } from '../src/report/index.js';
import { ARMS, metricsRow, opeFile, writeOracleCompare, writeSyntheticCompare, writeSyntheticOpe, writeSyntheticRun } from './support/report-fixtures.js';
import { tempDir } from './support/scenarios.js';
import { vegaLiteValidator, type SpecValidator } from './support/vega-lite-schema.js';

let validate: SpecValidator;
let run: ReportData;
let compare: ReportData;
let ope: ReportData;
let oracle: ReportData;

beforeAll(async () => {
  validate = vegaLiteValidator();
  const dir = tempDir('recloop-report-specs-');
  run = await loadReportData(writeSyntheticRun(join(dir, 'run')));
  compare = await loadReportData(writeSyntheticCompare(join(dir, 'compare')));
  ope = await loadReportData(writeSyntheticOpe(join(dir, 'ope')));
  oracle = await loadReportData(writeOracleCompare(join(dir, 'oracle')));
});

/** Every object in a spec, depth first (to find encodings wherever layers and panels put them). */
function* walk(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) for (const item of node) yield* walk(item);
  else if (typeof node === 'object' && node !== null) {
    yield node as Record<string, unknown>;
    for (const value of Object.values(node)) yield* walk(value);
  }
}

function colorScales(chart: Chart): { domain: unknown; range: unknown }[] {
  const colors = [...walk(chart.spec)].map((o) => o.color as { field?: unknown; scale?: unknown } | undefined);
  return colors.filter((c) => c?.field === 'arm' && typeof c.scale === 'object').map((c) => c?.scale as { domain: unknown; range: unknown });
}

describe('chart specs', () => {
  it('the validator rejects a broken spec (so passing means something)', () => {
    expect(validate({ mark: 'no-such-mark', data: { values: [] } })).not.toEqual([]);
    expect(validate({ mark: 'line', encoding: { x: { field: 'a', type: 'quantitative' } }, data: { values: [] } })).toEqual([]);
  });

  it('every spec of a run, an experiment and an OPE folder validates against the Vega-Lite schema and compiles cleanly', () => {
    for (const data of [run, compare, ope, oracle]) {
      const charts = buildCharts(data);
      expect(charts.length).toBeGreaterThan(0);
      for (const chart of charts) {
        expect(validate(chart.spec), `${data.kind} chart ${chart.id}`).toEqual([]);
        expect(compileChart(chart).warnings, `${data.kind} chart ${chart.id}`).toEqual([]);
        expect(chart.id).toMatch(/^[a-z0-9-]+$/);
        expect(chart.caption.length).toBeGreaterThan(20);
      }
    }
  });

  it('draws a family only when its columns exist', () => {
    // The loop's failures in the report's order: filter bubbles, cold start, short- against long-term.
    expect(buildCharts(run).map((c) => c.id)).toEqual([
      'diversity',
      'cold-start',
      'short-term',
      'long-term',
      'tradeoff',
      'calibration-ece',
      'calibration-reliability',
      'latency',
      'exploration-regret',
      'slices-country',
      'slices-country-gap',
    ]);
    expect(buildCharts(compare).map((c) => c.id)[0]).toBe('experiment-diffs');
    expect(buildCharts(ope).map((c) => c.id)).toEqual(['ope']);
    // The same run without calibration, latency, regret and slice columns: those charts go.
    const plain: ReportData = {
      ...run,
      calibration: undefined,
      metrics: run.metrics.filter((m) => !/^(ece_|latency_|cumulative_regret|lai_robbins)|_slice_/.test(m)),
      series: run.series.filter((p) => !/^(ece_|latency_|cumulative_regret|lai_robbins)|_slice_/.test(p.metric)),
    };
    expect(buildCharts(plain).map((c) => c.id)).toEqual(['diversity', 'cold-start', 'short-term', 'long-term', 'tradeoff']);
  });

  it('names the OPE estimators whose assumption the world breaks, on the chart and in a note', async () => {
    const file = opeFile();
    const flagged = {
      ...file,
      estimators: [
        { ...file.estimators[0], world_breaks_it: 'yes' as const, why: 'the items of a slate compete' },
        { ...file.estimators[1], world_breaks_it: 'partly' as const, why: 'users differ' },
        { ...file.estimators[2], world_breaks_it: 'no' as const },
      ],
    };
    const dir = tempDir('recloop-report-ope-flags-');
    writeSyntheticOpe(dir);
    writeFileSync(join(dir, 'ope.json'), JSON.stringify(flagged));
    const data = await loadReportData(dir);
    expect(data.ope?.estimates.map((e) => e.estimator)).toEqual(['ips (assumption broken)', 'snips (assumption partly broken)', 'dm']);
    expect(data.notes).toEqual(expect.arrayContaining(['ips: this world breaks its assumption (the items of a slate compete).', 'snips: this world partly breaks its assumption (users differ).']));
    expect(data.notes?.some((n) => n.startsWith('dm:'))).toBe(false);
  });

  it('gives every arm the same colour in every chart, the control first', () => {
    const expected = armColors([...ARMS]);
    expect(compare.arms).toEqual([...ARMS]);
    const charts = buildCharts(compare).filter((c) => c.family !== 'ope');
    for (const chart of charts) {
      const scales = colorScales(chart);
      expect(scales.length, chart.id).toBeGreaterThan(0);
      // The difference chart draws no control; every other chart draws every arm.
      const arms = chart.id === 'experiment-diffs' ? ARMS.slice(1) : ARMS;
      const colorOf = (arm: string) => expected.range[expected.domain.indexOf(arm)];
      for (const scale of scales) expect(scale, chart.id).toEqual({ domain: [...arms], range: arms.map(colorOf) });
    }
    expect(new Set(expected.range).size).toBe(ARMS.length);
  });

  it('draws 95% bands from replicas in an experiment and none for a single run', () => {
    const bands = (data: ReportData) =>
      buildCharts(data)
        .flatMap((c) => [...walk(c.spec)])
        .filter((o) => (o.mark as { type?: string } | undefined)?.type === 'area');
    const compareBands = bands(compare);
    expect(compareBands.length).toBeGreaterThan(10);
    for (const band of compareBands) expect(band.encoding).toMatchObject({ y: { field: 'ci_low' }, y2: { field: 'ci_high' } });
    expect(bands(run)).toEqual([]);
    const shortTerm = buildCharts(compare).find((c) => c.id === 'short-term');
    expect(JSON.stringify(shortTerm?.spec)).toContain('bands: 95% confidence interval');
    expect(JSON.stringify(buildCharts(run)[0].spec)).toContain('one run, no replicas');
  });

  it('puts simulated time on the x axis, with a unit on every y axis', () => {
    const shortTerm = buildCharts(run).find((c) => c.id === 'short-term');
    const axes = [...walk(shortTerm?.spec)].filter((o) => o.field === 'time');
    expect(axes.some((o) => o.title === 'Simulated day')).toBe(true);
    const yTitles = [...walk(shortTerm?.spec)].filter((o) => o.field === 'value' && typeof o.axis === 'object').map((o) => (o.axis as { title?: string }).title);
    expect(yTitles).toEqual(['% clicked', 'minutes']);
  });

  it('draws the latency budget from the scenario and flags the guardrail verdicts in the experiment chart', () => {
    const latency = JSON.stringify(buildCharts(run).find((c) => c.id === 'latency')?.spec);
    expect(latency).toContain('budget 50 ms');
    expect(latency).toContain('p95');
    const diffs = JSON.stringify(buildCharts(compare).find((c) => c.id === 'experiment-diffs')?.spec);
    expect(diffs).toMatch(/⚠ guardrail/);
  });

  it('draws the difference chart for the metrics where the arms differ, with no control in its legend', () => {
    // Coverage and never-shown share come late in report order; here they are where the arms differ most.
    const clear = new Set(['catalog_coverage', 'new_items_never_shown_share']);
    const data: ReportData = { ...compare, diffs: compare.diffs.map((d) => (clear.has(d.metric) ? { ...d, diff: 0.3, ci_low: 0.25, ci_high: 0.35 } : d)) };
    const chart = buildCharts(data).find((c) => c.id === 'experiment-diffs');
    if (!chart) throw new Error('no difference chart');
    const { vega, warnings } = compileChart(chart);
    expect(warnings).toEqual([]);
    const titles = [...walk(vega)].map((o) => (o.title as { text?: unknown } | undefined)?.text).filter((t) => typeof t === 'string');
    expect(titles).toEqual(expect.arrayContaining(['True satisfaction per click', 'Catalog coverage', 'New items never shown']));
    // The guarded metric stays first, and the panels stay within the chart's limit.
    expect(titles.indexOf('True satisfaction per click')).toBeLessThan(titles.indexOf('Catalog coverage'));
    expect(titles.filter((t) => t !== chart.title).length).toBeLessThanOrEqual(9);
    expect(chart.caption).toMatch(/the other \d+ are in the table/);
    const legendDomains = (vega.scales ?? []).filter((s) => s.name === 'color').map((s) => s.domain);
    expect(legendDomains).toEqual([['eps_0.05', 'thompson']]);
  });

  it('leaves the oracle baseline out of the difference chart and its ranking, though its differences are the largest', () => {
    const panelTitles = (data: ReportData): unknown[] => {
      const chart = buildCharts(data).find((c) => c.id === 'experiment-diffs');
      if (!chart) throw new Error('no difference chart');
      return [...walk(compileChart(chart).vega)].map((o) => (o.title as { text?: unknown } | undefined)?.text).filter((t) => typeof t === 'string');
    };
    // The fixture's oracle differs from greedy ten times as much as thompson, with the tightest intervals.
    expect(panelTitles(oracle)).toEqual(panelTitles(compare));
    const chart = buildCharts(oracle).find((c) => c.id === 'experiment-diffs');
    const vega = chart && compileChart(chart).vega;
    expect((vega?.scales ?? []).filter((s) => s.name === 'color').map((s) => s.domain)).toEqual([['eps_0.05', 'thompson']]);
    expect(chart?.caption).toContain('The oracle baseline (oracle) is left out');
    expect(buildCharts(compare).find((c) => c.id === 'experiment-diffs')?.caption).not.toContain('oracle');
  });

  it("charts each arm's trend and each design against the oracle baseline in its failure's section, naming the oracle as one", () => {
    const charts = buildCharts(oracle);
    const trend = charts.find((c) => c.id === 'filter-bubbles-trend-oracle');
    expect(trend).toMatchObject({ family: 'diversity', title: 'Trend per day and distance from the oracle baseline' });
    // True satisfaction is read against the oracle in the short- against long-term section; the fixture has no cold-start one.
    expect(charts.find((c) => c.id === 'short-long-trend-oracle')).toMatchObject({ family: 'objectives', title: 'Distance from the oracle baseline (oracle)' });
    expect(charts.some((c) => c.id === 'cold-start-trend-oracle')).toBe(false);
    // Without slopes or an oracle arm there is nothing to chart.
    expect(buildCharts(compare).filter((c) => c.id.endsWith('-trend-oracle'))).toEqual([]);
    const rows = [...walk(trend?.spec)].filter((o) => typeof o.row === 'string');
    // Slopes in percentile points a day, the oracle's drawn as a reference and named as one.
    const slopes = rows.filter((r) => r.slope !== undefined);
    const drawn = [['greedy', 0.8, 0.3, 1.3], ['eps_0.05', -0.2, -0.3, -0.1], ['thompson', 0.1, -0.4, 0.6], ['oracle (oracle baseline)', 0, -0.1, 0.1]];
    // Once for the bars, once for the dots.
    expect(slopes.map((r) => [r.row, ...[r.slope, r.ci_low, r.ci_high].map((x) => Number(Number(x).toFixed(9)))])).toEqual([...drawn, ...drawn]);
    // The oracle panel draws the designs minus the oracle: the oracle itself is its zero line.
    const apart = rows.filter((r) => r.slope === undefined);
    expect(new Set(apart.map((r) => r.arm))).toEqual(new Set(['greedy', 'eps_0.05', 'thompson']));
    for (const r of apart) expect(r.diff).toBeCloseTo(Number(r.ci_low) + 0.002, 9);
    // Every legend of the report calls the oracle arm an oracle baseline.
    for (const chart of charts.filter((c) => c.family !== 'experiment')) {
      const legends = compileChart(chart).vega.legends ?? [];
      expect(JSON.stringify(legends), chart.id).toContain('oracle (oracle baseline)');
    }
    expect(JSON.stringify(compileChart(buildCharts(compare)[1]).vega.legends)).not.toContain('oracle baseline');
  });

  it('draws slice levels on axes that do not magnify noise: shares from zero, scores over a fifth of their size', () => {
    const close = { ctr: [0.08326, 0.08334, 0.08342], mean_true_satisfaction: [0.5145, 0.5164, 0.5367] };
    const columns = Object.entries(close).flatMap(([metric, values]) => values.map((mean, i) => ({ metric: `${metric}_slice_device_${i}`, mean })));
    const data: ReportData = {
      ...run,
      metrics: [...run.metrics, ...columns.map((c) => c.metric)],
      series: [...run.series, ...columns.map((c) => ({ metric: c.metric, arm: run.arms[0], epoch: 0, time: 1, value: c.mean }))],
      summaries: [...run.summaries, ...columns.map((c) => ({ metric: c.metric, arm: run.arms[0], mean: c.mean }))],
    };
    const chart = buildCharts(data).find((c) => c.id === 'slices-device');
    if (!chart) throw new Error('no device chart');
    const scales = (compileChart(chart).vega.scales ?? []).filter((s) => /_x$/.test(s.name));
    expect(scales).toHaveLength(2);
    const [ctr, satisfaction] = scales as { zero?: boolean; domain?: unknown }[];
    expect(ctr.zero).toBe(true);
    const domain = satisfaction.domain as [number, number];
    expect(domain[1] - domain[0]).toBeGreaterThanOrEqual(0.2 * 0.5367 - 1e-12);
    expect(domain[0]).toBeLessThan(0.5145);
    expect(domain[1]).toBeGreaterThan(0.5367);
  });

  it('draws latency only for a recommender with serving stages, or one the scenario gives a budget', async () => {
    const dir = tempDir('recloop-report-latency-');
    const withScenario = async (name: string, recommender: string) => {
      const folder = writeSyntheticRun(join(dir, name));
      writeFileSync(join(folder, 'scenario.resolved.yaml'), `name: ${name}\nrecommender:\n${recommender}`);
      return buildCharts(await loadReportData(folder)).map((c) => c.id);
    };
    expect(await withScenario('popularity', '  kind: popularity\n  slate_size: 10\n')).not.toContain('latency');
    expect(await withScenario('popularity-budget', '  kind: popularity\n  latency_budget_ms: 5\n')).toContain('latency');
    expect(await withScenario('two-stage', '  kind: two_stage\n')).toContain('latency');
    expect(await withScenario('plug-in', '  kind: module\n  path: ./mine.ts\n')).toContain('latency');
    // An experiment keeps the chart when any arm serves through stages.
    const file = JSON.parse(readFileSync(join(writeSyntheticCompare(join(dir, 'compare')), 'comparison.json'), 'utf8')) as { arms: { kind?: string }[] };
    const arms = (kinds: string[]) => {
      const folder = writeSyntheticCompare(join(dir, kinds.join('-')));
      writeFileSync(join(folder, 'comparison.json'), JSON.stringify({ ...file, arms: file.arms.map((a, i) => ({ ...a, kind: kinds[i] })) }));
      writeFileSync(join(folder, 'scenario.resolved.yaml'), 'name: c\n');
      return loadReportData(folder).then((data) => buildCharts(data).map((c) => c.id));
    };
    expect(await arms(['popularity', 'popularity', 'random'])).not.toContain('latency');
    expect(await arms(['popularity', 'two_stage', 'random'])).toContain('latency');
  });

  it('overlays run folders: a series per run in every chart, each spec valid and compiled cleanly', async () => {
    const dir = tempDir('recloop-report-overlay-');
    const runs = await loadReportInputs([writeSyntheticRun(join(dir, 'eps')), writeSyntheticRun(join(dir, 'ts'))]);
    expect(runs.kind).toBe('runs');
    expect(runs.arms).toEqual(['eps', 'ts']);
    const charts = buildCharts(runs);
    expect(charts.map((c) => c.id)).toContain('short-term');
    for (const chart of charts) {
      expect(validate(chart.spec), chart.id).toEqual([]);
      expect(compileChart(chart).warnings, chart.id).toEqual([]);
      for (const scale of colorScales(chart)) expect(scale.domain, chart.id).toEqual(['eps', 'ts']);
    }
  });

  it('pools runs that differ only in seed: one line, the mean over seeds, with its 95% t band and table interval', async () => {
    const dir = tempDir('recloop-report-seeds-');
    const seeds = [1, 2, 3];
    const folders = seeds.map((seed) => seededRun(join(dir, `seed-${seed}`), seed));
    const pooled = await loadReportInputs(folders);
    expect(pooled.arms).toEqual(['two_stage']);
    expect(pooled.replicas).toBe(3);
    // ctr on day 1 is 0.07 + 0.002·wave + 0.004·shift, shift = seed / 2: mean over seeds 1–3 → shift 1.
    const ctr0 = pooled.series.find((p) => p.metric === 'ctr' && p.epoch === 0);
    const values = seeds.map((seed) => metricsRow(0, seed / 2).ctr);
    const { estimate, low, high } = meanInterval(values);
    expect(ctr0).toMatchObject({ arm: 'two_stage', time: 1, value: estimate, ci_low: low, ci_high: high });
    const charts = buildCharts(pooled);
    for (const chart of charts) {
      expect(validate(chart.spec), chart.id).toEqual([]);
      expect(compileChart(chart).warnings, chart.id).toEqual([]);
    }
    const shortTerm = charts.find((c) => c.id === 'short-term');
    expect([...walk(shortTerm?.spec)].filter((o) => (o.mark as { type?: string } | undefined)?.type === 'area').length).toBeGreaterThan(0);
    expect(JSON.stringify(shortTerm?.spec)).toContain('line: mean of 3 seeds · band: 95% confidence interval over seeds');
    const md = summaryMarkdown(pooled);
    expect(md).toContain('| Metric | two_stage (mean of 3 seeds) |');
    expect(md).toMatch(/\| Click-through rate \| [\d.]+% \[[\d.]+%, [\d.]+%\] \|/);
    expect(md).toContain('**Seeds:** 1, 2, 3');
    // The same folders with one seed repeated are not replicas: a line per run, as before.
    const repeated = await loadReportInputs([folders[0], seededRun(join(dir, 'again'), 1)]);
    expect(repeated.arms).toEqual(['seed-1', 'again']);
  });

  it('leaves out epochs where a metric is undefined instead of plotting a false zero', () => {
    const retention = run.series.filter((p) => p.metric === 'retention_7d');
    expect(Math.min(...retention.map((p) => p.time))).toBe(8);
    expect(run.series.filter((p) => p.metric === 'return_rate').map((p) => p.epoch)[0]).toBe(1);
  });
});

/** A synthetic run of the same scenario under another seed: the seed in its scenario and summary, its values shifted by seed / 2. */
function seededRun(dir: string, seed: number): string {
  writeSyntheticRun(dir);
  const scenario = join(dir, 'scenario.resolved.yaml');
  writeFileSync(scenario, readFileSync(scenario, 'utf8').replace(/^seed: \d+$/m, `seed: ${seed}`));
  const summary = join(dir, 'summary.json');
  writeFileSync(summary, JSON.stringify({ ...JSON.parse(readFileSync(summary, 'utf8')), seed }));
  writeFileSync(join(dir, 'metrics.jsonl'), Array.from({ length: 20 }, (_, e) => JSON.stringify(metricsRow(e, seed / 2))).join('\n') + '\n');
  return dir;
}
