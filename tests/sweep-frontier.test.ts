/**
 * The trade-off frontier of a sweep, on hand-made data: Pareto selection with each metric's own
 * direction (a "lower is better" metric read the wrong way round must change the answer), the
 * cells and metrics the report picks (the scenario's `report.frontier`, or CTR against a
 * long-term metric when the grid sweeps the score), the sentence naming the efficient cells, the
 * chart's one point per cell, and the scenario's `report.frontier` checked against the metric
 * registry. tests/sweep-frontier-report.test.ts draws it from a real sweep, in a browser.
 */
import { describe, expect, it } from 'vitest';
import { buildCharts } from '../src/report/charts/index.js';
import { labelYs } from '../src/report/charts/label-layout.js';
import { compileChart } from '../src/report/compile.js';
import { sweepFrontier, type Frontier } from '../src/report/frontier.js';
import { summaryMarkdown } from '../src/report/index.js';
import { dominators, frontierOrder } from '../src/report/pareto.js';
import { frontierSentence } from '../src/report/sentences/index.js';
import type { MetricSummary, ReportData, SweepView } from '../src/report/types.js';
import { parseScenario, ScenarioError } from '../src/scenario/index.js';
import { handMadeCompare } from './support/report-fixtures.js';
import { vegaLiteValidator } from './support/vega-lite-schema.js';

describe('Pareto selection', () => {
  // Five cells of a weight sweep: CTR falls as satisfaction rises, except c (worse than b on both) and e (ties d on y, worse on x).
  const POINTS = [
    { x: 0.05, y: 0.3 }, // a
    { x: 0.045, y: 0.4 }, // b
    { x: 0.044, y: 0.35 }, // c: dominated by b
    { x: 0.04, y: 0.5 }, // d
    { x: 0.039, y: 0.5 }, // e: dominated by d (equal y, lower x)
  ];

  it('keeps the cells no other cell beats on both, and names one that beats each of the rest', () => {
    expect(dominators(POINTS, { x: 'higher', y: 'higher' })).toEqual([-1, -1, 1, -1, 3]);
    expect(frontierOrder(POINTS, { x: 'higher', y: 'higher' })).toEqual([3, 1, 0]);
  });

  it('reads a "lower is better" metric the other way round', () => {
    // x a cost (lower better): e, with the least x and the best y, beats every other cell.
    expect(dominators(POINTS, { x: 'lower', y: 'higher' })).toEqual([1, 3, 3, 4, -1]);
    expect(frontierOrder(POINTS, { x: 'lower', y: 'higher' })).toEqual([4]);
    // Both costs: a has the least y, c beats b, e beats d (equal y, less x).
    expect(dominators(POINTS, { x: 'lower', y: 'lower' })).toEqual([-1, 2, -1, 4, -1]);
    expect(frontierOrder(POINTS, { x: 'lower', y: 'lower' })).toEqual([4, 2, 0]);
  });

  it('keeps equal cells both on the frontier', () => {
    expect(dominators([{ x: 1, y: 1 }, { x: 1, y: 1 }, { x: 0, y: 0 }], { x: 'higher', y: 'higher' })).toEqual([-1, -1, 0]);
  });
});

const CELLS = ['0', '0.5', '1'].map((w) => `recommender.score_params.w=${w}`);

const BASE: ReportData = handMadeCompare(CELLS, 2);

const GRID: SweepView = { axes: [{ key: 'recommender.score_params.w', values: ['0', '0.5', '1'] }], cells: CELLS.map((name, i) => ({ name, values: [['0', '0.5', '1'][i]] })) };

/** Each metric's mean per cell (in cell order), with a ±half interval. */
function sweepData(means: Record<string, readonly number[]>, sweep: SweepView = GRID, half = 0.001): ReportData {
  const summaries: MetricSummary[] = Object.entries(means).flatMap(([metric, values]) =>
    values.map((mean, i) => ({ metric, arm: CELLS[i], mean, ci_low: mean - half, ci_high: mean + half })),
  );
  return { ...BASE, metrics: Object.keys(means), summaries, sweep };
}

function frontierOf(data: ReportData): Frontier {
  const f = sweepFrontier(data);
  if (f?.kind !== 'frontier') throw new Error(`expected a frontier, got ${JSON.stringify(f)}`);
  return f;
}

describe("a sweep's frontier", () => {
  it('by default plots CTR against the first long-term metric every cell has, when the grid sweeps the score', () => {
    // retention_30d is missing in one cell (a short horizon): true satisfaction is the y axis.
    const data = sweepData({ ctr: [0.04, 0.045, 0.05], mean_true_satisfaction: [0.5, 0.45, 0.3], retention_30d: [0.2, 0.2] });
    const f = frontierOf(data);
    expect([f.x, f.y]).toEqual(['ctr', 'mean_true_satisfaction']);
    expect(f.cells.map((c) => c.label)).toEqual(['w=0', 'w=0.5', 'w=1']);
    expect(f.efficient).toEqual(CELLS);
    expect(f.cells[0]).toMatchObject({ x: 0.04, x_low: 0.039, x_high: 0.041, y: 0.5 });
  });

  it('draws nothing for a plain comparison, one cell, or a grid that does not touch the score unless the scenario names metrics', () => {
    const means = { ctr: [0.04, 0.045, 0.05], mean_true_satisfaction: [0.5, 0.45, 0.3] };
    expect(sweepFrontier({ ...sweepData(means), sweep: undefined })).toBeUndefined();
    expect(sweepFrontier(sweepData(means, { ...GRID, cells: GRID.cells.slice(0, 1) }))).toBeUndefined();
    const slate: SweepView = { ...GRID, axes: [{ key: 'recommender.slate_size', values: ['0', '0.5', '1'] }] };
    expect(sweepFrontier(sweepData(means, slate))).toBeUndefined();
    expect(frontierOf(sweepData({ ...means, impression_gini: [0.3, 0.2, 0.25] }, { ...slate, frontier: { x: 'impression_gini', y: 'ctr' } })).x).toBe('impression_gini');
  });

  it("follows each metric's declared direction: with impression concentration (lower is better) the cheapest cell wins", () => {
    // Gini 0.30, 0.20, 0.25 with CTR 4%, 4.5%, 5%: w=0 is worse than w=0.5 on both; w=0.5 and w=1 trade off.
    const f = frontierOf(sweepData({ ctr: [0.04, 0.045, 0.05], impression_gini: [0.3, 0.2, 0.25] }, { ...GRID, frontier: { x: 'impression_gini', y: 'ctr' } }));
    expect(f.better).toEqual({ x: 'lower', y: 'higher' });
    expect(f.efficient).toEqual([CELLS[1], CELLS[2]]);
    expect(f.cells[0].dominatedBy).toBe(CELLS[1]);
    expect(frontierSentence(sweepData({ ctr: [0.04, 0.045, 0.05], impression_gini: [0.3, 0.2, 0.25] }, { ...GRID, frontier: { x: 'impression_gini', y: 'ctr' } }))).toBe(
      'On the frontier of click-through rate against impression concentration, in order of impression concentration: w=0.5 and w=1; ' +
        'along it impression concentration runs from 0.2 Gini (w=0.5) to 0.25 Gini (w=1) and click-through rate from 4.5% to 5%. w=0 is dominated by w=0.5.',
    );
  });

  it('names the efficient cells and which cell beats each of the others', () => {
    const data = sweepData({ ctr: [0.04, 0.039, 0.05], mean_true_satisfaction: [0.5, 0.45, 0.3] });
    expect(frontierSentence(data)).toBe(
      'On the frontier of true satisfaction per click against click-through rate, in order of click-through rate: w=0 and w=1; ' +
        'along it click-through rate runs from 4% (w=0) to 5% (w=1) and true satisfaction per click from 0.5 true utility to 0.3 true utility. w=0.5 is dominated by w=0.',
    );
    expect(summaryMarkdown(data)).toContain(`## Trade-off frontier\n\n${frontierSentence(data) ?? ''}\n`);
    expect(frontierSentence(sweepData({ ctr: [0.04, 0.045, 0.05], mean_true_satisfaction: [0.5, 0.5, 0.6] }))).toBe(
      'w=1 is the only cell on the frontier of true satisfaction per click against click-through rate: it is at least as good as every other cell on both.',
    );
  });

  it('says where the intervals of neighbouring frontier cells overlap, so the order along it is not yet certain', () => {
    // ±0.006 on CTR: w=0 (4%) and w=0.5 (4.5%) overlap, w=0.5 and w=1 (6%) do not; satisfaction ±0.006 never overlaps.
    const data = sweepData({ ctr: [0.04, 0.045, 0.06], mean_true_satisfaction: [0.5, 0.45, 0.3] }, GRID, 0.006);
    expect(frontierSentence(data)).toMatch(/ The intervals over seeds overlap for 1 of 2 pairs of neighbouring frontier cells on click-through rate: more seeds would tell them apart\.$/);
    const wide = sweepData({ ctr: [0.04, 0.045, 0.05], mean_true_satisfaction: [0.5, 0.45, 0.44] }, GRID, 0.03);
    expect(frontierSentence(wide)).toMatch(
      / The intervals over seeds overlap for every pair of neighbouring frontier cells on click-through rate and on true satisfaction per click: /,
    );
  });

  it("says why there is no chart when the scenario's metric has no value in some cell", () => {
    const data = sweepData({ ctr: [0.04, 0.045, 0.05], retention_30d: [0.2] }, { ...GRID, frontier: { x: 'ctr', y: 'retention_30d' } });
    expect(frontierSentence(data)).toBe("No trade-off frontier: the scenario's report.frontier names 30-day retention, which has no value in cells w=0.5 and w=1 (undefined before day 31 (no cohort yet)).");
    expect(buildCharts(data).some((c) => c.family === 'frontier')).toBe(false);
  });

  it('is one chart with one point per cell, error bars both ways and a line through the efficient cells', () => {
    const data = sweepData({ ctr: [0.04, 0.039, 0.05], mean_true_satisfaction: [0.5, 0.45, 0.3] });
    const charts = buildCharts(data).filter((c) => c.family === 'frontier');
    expect(charts.map((c) => c.id)).toEqual(['sweep-frontier']);
    expect(vegaLiteValidator()(charts[0].spec)).toEqual([]);
    const compiled = compileChart(charts[0]);
    expect(compiled.warnings).toEqual([]);
    const spec = JSON.stringify(charts[0].spec);
    expect(spec).toContain('"title":"Click-through rate (% clicked)"');
    expect(spec).toContain('"title":"True satisfaction per click (true utility)"');
    const datasets = (charts[0].spec as { layer: { name?: string; data: { values: { arm: string }[] } }[] }).layer;
    expect(datasets.find((l) => l.name === 'frontier_cells')?.data.values.map((v) => v.arm)).toEqual(CELLS);
    // The line joins the efficient cells only, along x.
    expect(datasets[0].data.values.map((v) => v.arm)).toEqual([CELLS[0], CELLS[2]]);
  });
});

describe('frontier labels', () => {
  it('sit beside their points, and one that would overprint a neighbour moves below it', () => {
    // A 100-pixel-high plot over y 0–1: 0.01 is a pixel. b is 5 px under a at nearly the same x; c is far to the right.
    const extent = { xs: [0, 1], ys: [0, 1], width: 500, height: 100 };
    const ys = labelYs([{ x: 0.5, y: 0.6 }, { x: 0.51, y: 0.55 }, { x: 0.9, y: 0.58 }], extent);
    expect(ys[0]).toBe(0.6);
    expect(ys[1]).toBeCloseTo(0.6 - 0.14, 12);
    expect(ys[2]).toBe(0.58);
  });
});

describe("the scenario's report.frontier", () => {
  const SCENARIO = 'name: t\nhorizon: { days: 3 }\nrecommender: { kind: popularity }\n';

  it('takes two metrics with a direction', () => {
    expect(parseScenario(`${SCENARIO}report: { frontier: { x: ctr, y: retention_30d } }\n`, 'ok.yaml').report).toEqual({ frontier: { x: 'ctr', y: 'retention_30d' } });
  });

  it('names the field of an unknown or undirected metric, with a suggestion, and refuses the same metric twice', () => {
    const problems = (text: string): string[] => {
      try {
        parseScenario(`${SCENARIO}${text}`, 'bad.yaml');
      } catch (error) {
        expect(error).toBeInstanceOf(ScenarioError);
        return (error as ScenarioError).problems.map((p) => `${p.path}: ${p.message}`);
      }
      throw new Error('expected a problem');
    };
    const typo = problems('report: { frontier: { x: ctr, y: retention30d } }\n');
    expect(typo).toHaveLength(1);
    expect(typo[0]).toMatch(/^report\.frontier\.y: .*"retention30d" is not a metric with a direction.*did you mean "retention_30d"\?/);
    expect(problems('report: { frontier: { x: uploads, y: ctr } }\n')[0]).toMatch(/^report\.frontier\.x: .*"uploads" is not a metric with a direction/);
    expect(problems('report: { frontier: { x: ctr, y: ctr } }\n')[0]).toContain('x and y are both ctr');
    expect(problems('report: { frontier: { x: ctr } }\n')[0]).toMatch(/^report\.frontier\.y/);
  });
});
