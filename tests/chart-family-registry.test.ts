/**
 * The chart family registry: every family a metric's declaration may name (`chart:`) has its
 * charts, declared in its own file; the report's sections and the experiment's verdict metrics
 * are drawn from it. A declaration missing a field, or a registry missing a family, does not compile.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChartFamily } from '../src/metrics/declaration.js';
import { familyMetrics } from '../src/metrics/registry.js';
import { chartFamily, type ChartFamilyComponent } from '../src/report/charts/chart-family.js';
import { chartContext } from '../src/report/charts/context.js';
import { familyCharts, VERDICT_METRICS } from '../src/report/charts/families.js';
import { SHORT_TERM_CHARTS } from '../src/report/charts/families/short-term.js';
import { loadReportData, type ReportData } from '../src/report/index.js';
import { writeSyntheticRun } from './support/report-fixtures.js';
import { tempDir } from './support/scenarios.js';

let run: ReportData;

beforeAll(async () => {
  run = await loadReportData(writeSyntheticRun(join(tempDir('recloop-chart-families-'), 'run')));
});

describe('chart family registry', () => {
  it('draws the families of a report section in family order, each from its own metrics', () => {
    const ctx = chartContext(run);
    expect(familyCharts(ctx, 'objectives').map((c) => [c.id, c.family])).toEqual([
      ['short-term', 'objectives'],
      ['long-term', 'objectives'],
    ]);
    expect(familyCharts(ctx, 'diversity').map((c) => c.id)).toEqual(['diversity']);
    // Regret is drawn with its bound; the synthetic run has no learning columns, so that family draws nothing.
    expect(familyCharts(ctx, 'exploration').map((c) => c.id)).toEqual(['exploration-regret']);
    expect(familyCharts(ctx, 'ope')).toEqual([]);
  });

  it('a grid family draws only the metrics the run has, and nothing without any', () => {
    const ctx = chartContext(run);
    const present = familyMetrics('short_term').filter((m) => ctx.has(m));
    expect(present.length).toBeGreaterThan(1);
    expect(SHORT_TERM_CHARTS.draw(ctx, present)).toHaveLength(1);
    expect(SHORT_TERM_CHARTS.draw(ctx, ['no_such_metric'])).toEqual([]);
  });

  it("the experiment's verdict shows the families that say so, in family order", () => {
    expect(VERDICT_METRICS).toEqual(['short_term', 'long_term', 'diversity', 'cold_start'].flatMap((f) => familyMetrics(f as ChartFamily)));
  });

  it('a declaration missing a field, or a registry missing a family, does not compile', () => {
    // @ts-expect-error `verdict` is required
    const incomplete = chartFamily({ name: 'regret', section: 'exploration', draw: () => [] });
    expect(incomplete.name).toBe('regret');
    // @ts-expect-error every family a metric may name needs its charts
    const partial: { readonly [F in ChartFamily]: ChartFamilyComponent<F> } = { short_term: SHORT_TERM_CHARTS };
    expect(Object.keys(partial)).toEqual(['short_term']);
  });
});
