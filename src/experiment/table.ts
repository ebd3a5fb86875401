/**
 * The short table `recloop compare` prints: headline metrics per arm, then the guardrails. A
 * figure that is undefined (the metric has no value in any measured epoch) prints as –.
 */
import { HEADLINE_METRICS, UNDEFINED_MARK } from '../metrics/index.js';
import type { ArmMetric, Comparison, Difference } from './comparison.js';

export { HEADLINE_METRICS };

/**
 * Read against the oracle baseline when an experiment has one: homogenization is judged relative
 * to the ideal recommender's (Chaney et al. 2018), and new items' exposure against their quality
 * and true satisfaction say how far the loop is from what the world allows.
 */
/** Printed with their slope per day: a rising recommended_popularity is the loop amplifying popularity. */
export const TREND_METRICS = ['recommended_popularity'] as const;

export const ORACLE_RELATIVE_METRICS = ['homogenization', 'new_item_exposure_quality_rank_corr', 'mean_true_satisfaction'] as const;

export function formatComparison(comparison: Comparison, metrics: readonly string[] = HEADLINE_METRICS): string {
  const shown = [...new Set([...metrics, ...comparison.guardrails.map((g) => g.metric)])].filter((m) => m in comparison.metrics);
  const armWidth = Math.max(8, ...comparison.arms.map((arm) => arm.name.length));
  const metricWidth = Math.max(10, ...shown.map((m) => m.length));
  const lines: string[] = [];
  const test = comparison.difference === 'paired' ? 'paired by seed' : 'Welch';
  lines.push(`${comparison.design}, ${comparison.seeds.length} replica${comparison.seeds.length === 1 ? '' : 's'}, control ${comparison.control}; 95% intervals (t, ${test}); * marks an interval that excludes 0`);
  lines.push(`${'metric'.padEnd(metricWidth)}  ${'arm'.padEnd(armWidth)}  ${'mean'.padStart(10)}  ${'±95%'.padStart(9)}  ${'vs control'.padStart(10)}  ${'95% CI'.padEnd(23)}  rel.`);
  for (const metric of shown) {
    const { arms } = comparison.metrics[metric];
    let first = true;
    for (const arm of comparison.arms) {
      const figures = arms[arm.name];
      if (figures === undefined) continue;
      lines.push(`${(first ? metric : '').padEnd(metricWidth)}  ${arm.name.padEnd(armWidth)}  ${armColumns(figures, arm.name === comparison.control)}`);
      first = false;
    }
  }
  const crossings = shown.flatMap((metric) =>
    comparison.arms.flatMap((arm) => {
      const figures = comparison.metrics[metric].arms[arm.name];
      const day = figures?.series.crossing_day;
      const last = figures?.series.diff?.findLast((x) => x !== null);
      // Only where the arms really differ: a crossing of two lines within noise says nothing.
      if (day === undefined || day === null || last === undefined || last === null || !excludesZero(figures.vs_control)) return [];
      return [`  ${metric.padEnd(metricWidth)}  ${arm.name.padEnd(armWidth)}  ${last > 0 ? 'above' : 'below'} ${comparison.control} from day ${Number.isInteger(day) ? day : day.toFixed(2)} on, ${last > 0 ? 'below' : 'above'} it before`];
    }),
  );
  if (crossings.length > 0) lines.push('where the lines cross (for differences marked *: the difference against the control, smoothed over 3 epochs, keeps its final sign from that day):', ...crossings);
  lines.push(...againstOracle(comparison, metricWidth, armWidth), ...trends(comparison, metricWidth, armWidth));
  if (comparison.guardrails.length > 0) {
    lines.push('guardrails (breached: estimated worsening beyond the threshold; uncertain: the interval reaches beyond it):');
    for (const g of comparison.guardrails) {
      const unit = (x: number): string => (g.kind === 'relative' ? `${(100 * x).toFixed(1)}%` : num(x));
      const change = (x: number): string => (x >= 0 ? `worse by ${unit(x)}` : `better by ${unit(-x)}`);
      const worst = g.worst_case === null ? '' : ` (worst case in the interval: ${change(g.worst_case)})`;
      lines.push(`  ${g.metric} ${g.arm}: at most ${unit(g.threshold)} ${g.kind} worsening; ${change(g.worsening)}${worst} → ${g.status.toUpperCase()}`);
    }
  }
  for (const metric of comparison.guardrails_unavailable) lines.push(`guardrail ${metric}: no figure to judge by (no arm reported it, or it is undefined in every measured epoch), so it was not checked`);
  return `${lines.join('\n')}\n`;
}

function againstOracle(comparison: Comparison, metricWidth: number, armWidth: number): string[] {
  const { oracle } = comparison;
  if (oracle === undefined) return [];
  const rows = ORACLE_RELATIVE_METRICS.filter((m) => m in comparison.metrics).flatMap((metric) =>
    comparison.arms.flatMap((arm) => {
      const diff = comparison.metrics[metric].arms[arm.name]?.vs_oracle;
      if (diff === undefined || diff === null) return [];
      const ci = diff.ci95 === null ? '-' : `[${num(diff.ci95[0])}, ${num(diff.ci95[1])}]`;
      const relative = diff.relative === null ? '' : `  ${diff.relative >= 0 ? '+' : ''}${(100 * diff.relative).toFixed(1)}% of the oracle's`;
      return [`  ${metric.padEnd(metricWidth)}  ${arm.name.padEnd(armWidth)}  ${signed(diff.diff).padStart(10)}  ${ci.padEnd(23)}${relative}${excludesZero(diff) ? ' *' : ''}`];
    }),
  );
  return rows.length === 0 ? [] : [`against the oracle baseline (arm ${oracle}, which ranks by the world's true utility): arm − oracle, ${comparison.difference === 'paired' ? 'paired by seed' : 'Welch'}`, ...rows];
}

function trends(comparison: Comparison, metricWidth: number, armWidth: number): string[] {
  const rows = TREND_METRICS.filter((m) => m in comparison.metrics).flatMap((metric) =>
    comparison.arms.flatMap((arm) => {
      const slope = comparison.metrics[metric].arms[arm.name]?.slope_per_day;
      if (slope === undefined || slope === null) return [];
      const ci = slope.ci95 === null ? '-' : `[${num(slope.ci95[0])}, ${num(slope.ci95[1])}]`;
      return [`  ${metric.padEnd(metricWidth)}  ${arm.name.padEnd(armWidth)}  ${signed(slope.mean).padStart(10)}  ${ci}`];
    }),
  );
  return rows.length === 0 ? [] : ['trend per day over the measured epochs (least squares per replica, then the mean and its 95% interval; rising popularity: the loop amplifies it):', ...rows];
}

function armColumns(figures: ArmMetric, control: boolean): string {
  const half = figures.ci95 === null ? '-' : num((figures.ci95[1] - figures.ci95[0]) / 2);
  const head = `${(figures.mean === null ? UNDEFINED_MARK : num(figures.mean)).padStart(10)}  ${half.padStart(9)}`;
  const diff = figures.vs_control;
  if (control) return `${head}  ${'(control)'.padStart(10)}`;
  if (diff === null) return `${head}  ${UNDEFINED_MARK.padStart(10)}`;
  const ci = diff.ci95 === null ? '-' : `[${num(diff.ci95[0])}, ${num(diff.ci95[1])}]`;
  const relative = diff.relative === null ? '-' : `${diff.relative >= 0 ? '+' : ''}${(100 * diff.relative).toFixed(1)}%`;
  return `${head}  ${signed(diff.diff).padStart(10)}  ${ci.padEnd(23)}  ${relative}${excludesZero(diff) ? ' *' : ''}`;
}

function excludesZero(diff: Difference | null | undefined): boolean {
  return diff?.ci95 !== null && diff?.ci95 !== undefined && (diff.ci95[0] > 0 || diff.ci95[1] < 0);
}

function num(x: number): string {
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 10) return x.toFixed(2);
  return x.toFixed(4);
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${num(x)}`;
}
