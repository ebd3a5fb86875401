/**
 * Synthetic run and compare folders for the report tests: every metric family the report knows
 * (calibration, latency, regret, OPE, slices, arms with replicas), with deterministic values made
 * from smooth formulas, so tests need no simulation and no randomness.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Comparison } from '../../src/experiment/comparison.js';
import type { CalibrationFile, OpeInput } from '../../src/report/index.js';
import type { ReportData } from '../../src/report/types.js';
import { staticReportData } from '../../src/report/data/static-report.js';

export const HEADS = ['click', 'watch'] as const;
export const STAGES = ['retrieval', 'ranking', 'rerank'] as const;
export const COUNTRIES = ['de', 'fr', 'us'] as const;
export const BUDGET_MS = { retrieval: 10, ranking: 50, rerank: 10 } as const;

/** A smooth, reproducible wiggle in [-1, 1]. */
function wave(i: number, phase: number): number {
  return Math.sin(0.7 * i + phase) * Math.cos(0.23 * i + 2 * phase);
}

export function metricsRow(epoch: number, shift = 0): Record<string, number> {
  const t = epoch / 10;
  const row: Record<string, number> = {
    epoch,
    day_start: epoch,
    day_end: epoch + 1,
    slates: 8000 + 100 * wave(epoch, 1),
    impressions: 80000,
    clicks: 6000 + 200 * t,
    ctr: 0.07 + 0.01 * t + 0.002 * wave(epoch, 2) + shift * 0.004,
    watch_minutes_per_active_user: 12 + 3 * t + wave(epoch, 3),
    mean_true_satisfaction: 0.68 - 0.2 * t + 0.02 * wave(epoch, 4) - shift * 0.01,
    daily_active_users: 1300 - 60 * t,
    return_rate: epoch === 0 ? 0 : 0.3 + 0.02 * wave(epoch, 5),
    retention_7d: epoch < 7 ? 0 : 0.85 + 0.01 * wave(epoch, 6),
    mean_session_satisfaction: 0.4 - 0.05 * t,
    topic_entropy_impressions: 4 - 0.4 * t + shift * 0.1,
    topic_entropy_consumption: 2.2 - 0.2 * t,
    impression_gini: Math.min(0.99, 0.1 + 0.3 * t),
    catalog_coverage: Math.max(0.01, 1 - 0.3 * t),
    homogenization: epoch === 0 ? 0 : 0.02 + 0.01 * t,
    fresh_impression_share: 0.05 * Math.exp(-t),
    new_items_first_shown: 60 - 10 * t,
    time_to_first_impression_median: 0.03 + 0.01 * wave(epoch, 7),
    new_items_never_shown_share: Math.min(0.8, 0.25 * t),
  };
  for (const head of HEADS) {
    row[`ece_${head}_raw`] = 0.05 + 0.01 * wave(epoch, 8);
    row[`ece_${head}_calibrated`] = 0.01 + 0.004 * t;
  }
  row.cumulative_regret = 40 * Math.log1p(epoch + 1) * (1 + shift * 0.3);
  row.lai_robbins_bound = 25 * Math.log1p(epoch + 1);
  COUNTRIES.forEach((c, i) => {
    row[`ctr_slice_country_${c}`] = row.ctr * (1 - 0.1 * i * t);
    row[`retention_7d_slice_country_${c}`] = epoch < 7 ? 0 : 0.8 + 0.03 * i;
  });
  return row;
}

export function timingsRow(epoch: number): Record<string, number> {
  const row: Record<string, number> = { epoch, train_seconds: 2 };
  STAGES.forEach((stage, i) => {
    const base = BUDGET_MS[stage] * (0.4 + 0.1 * i);
    row[`latency_${stage}_p50_ms`] = base + wave(epoch, i);
    row[`latency_${stage}_p95_ms`] = 2.2 * base + 2 * wave(epoch, i + 1);
  });
  return row;
}

const SCENARIO_YAML = `# synthetic
name: synthetic
description: A synthetic run with every metric family.
seed: 11
horizon:
  days: 20
recommender:
  kind: two_stage
  latency_budget_ms: { retrieval: 10, ranking: 50, rerank: 10 }
`;

export function calibrationFile(): CalibrationFile {
  const heads: CalibrationFile['heads'] = {};
  for (const head of HEADS) {
    const bins = (skew: number) =>
      Array.from({ length: 10 }, (_, b) => {
        const predicted = (b + 0.5) / 10;
        return { lower: b / 10, upper: (b + 1) / 10, count: 1000 - 80 * b, predicted, observed: Math.min(1, predicted * skew) };
      });
    heads[head] = { raw: { ece: 0.06, bins: bins(0.7) }, calibrated: { ece: 0.01, bins: bins(0.98) } };
  }
  return { format: 'recloop-calibration/1', epoch: 19, day: 20, method: 'isotonic', heads };
}

/** ope.json as `recloop ope` writes it (the fields the report reads, plus a few it ignores). */
export function opeFile(): OpeInput {
  const estimator = (name: string, estimate: number, half: number) => ({
    estimator: name,
    estimate,
    ci_lo: estimate - half,
    ci_hi: estimate + half,
    ci_covers_truth: Math.abs(estimate - 0.84) <= half,
  });
  return {
    scenario: 'synthetic-ope',
    unit: 'clicks per slate',
    eval_window: { from: 4, to: 5 },
    logging: { policy: 'uniform', realised_value: 0.61 },
    target: { policy: 'popularity' },
    truth: { twin_realised: 0.84, twin_realised_se: 0.01, twin_expected: 0.841 },
    estimators: [estimator('ips', 0.9, 0.08), estimator('snips', 0.88, 0.05), estimator('dm', 1.1, 0.02), estimator('dr', 0.86, 0.04)],
    settings: { confidence: 0.95 },
  };
}

export function writeSyntheticOpe(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ope.json'), JSON.stringify(opeFile(), null, 2));
  writeFileSync(join(dir, 'scenario.resolved.yaml'), SCENARIO_YAML);
  return dir;
}

/** A run folder with every family; `epochs` rows of metrics and timings. */
export function writeSyntheticRun(dir: string, epochs = 20): string {
  mkdirSync(dir, { recursive: true });
  const rows = Array.from({ length: epochs }, (_, e) => metricsRow(e));
  writeFileSync(join(dir, 'metrics.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(join(dir, 'timings.jsonl'), Array.from({ length: epochs }, (_, e) => JSON.stringify(timingsRow(e))).join('\n') + '\n');
  writeFileSync(join(dir, 'scenario.resolved.yaml'), SCENARIO_YAML);
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ scenario: 'synthetic', seed: 11, recommender: 'two_stage', days: epochs, epochs }));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ wall_seconds: 3.2 }));
  writeFileSync(join(dir, 'calibration.json'), JSON.stringify(calibrationFile()));
  return dir;
}

export const ARMS = ['greedy', 'eps_0.05', 'thompson'] as const;

/** comparison.json as `recloop compare` writes it: per-epoch mean ± a CI that narrows with replicas. */
export function comparisonFile(epochs = 20, replicas = 5): Comparison {
  const metricNames = Object.keys(metricsRow(0)).filter((k) => !['epoch', 'day_start', 'day_end'].includes(k));
  const extra = Object.keys(timingsRow(0)).filter((k) => k.startsWith('latency_'));
  const metrics: Record<string, Comparison['metrics'][string]> = {};
  const seeds = Array.from({ length: replicas }, (_, r) => 7 + r);
  for (const metric of [...metricNames, ...extra]) {
    const arms: Record<string, Comparison['metrics'][string]['arms'][string]> = {};
    const means = ARMS.map((_, a) => {
      const values = Array.from({ length: epochs }, (_, e) => (metric.startsWith('latency_') ? timingsRow(e)[metric] : metricsRow(e, a)[metric]));
      return { values, mean: values.reduce((s, v) => s + v, 0) / epochs };
    });
    ARMS.forEach((arm, a) => {
      const { values, mean } = means[a];
      const half = (v: number) => (Math.abs(v) * 0.04) / Math.sqrt(replicas) + 1e-4;
      const diff = mean - means[0].mean;
      const diffHalf = Math.abs(means[0].mean) * 0.02 + 1e-4;
      arms[arm] = {
        mean,
        ci95: [mean - half(mean), mean + half(mean)],
        sd: half(mean),
        replicas: seeds.map(() => mean),
        vs_control: a === 0 ? null : { diff, ci95: [diff - diffHalf, diff + diffHalf], relative: diff / Math.abs(means[0].mean), relative_ci95: null, df: replicas - 1 },
        slope_per_day: null,
        series: {
          day_end: values.map((_, e) => e + 1),
          mean: values,
          ci95_low: values.map((v) => v - half(v)),
          ci95_high: values.map((v) => v + half(v)),
        },
      };
    });
    metrics[metric] = { better: null, per_full_traffic: false, arms };
  }
  const satisfaction = metrics.mean_true_satisfaction.arms;
  const guardrails = ARMS.slice(1).map((arm) => {
    const diff = satisfaction[arm].vs_control?.diff ?? 0;
    const worsening = -diff;
    return {
      metric: 'mean_true_satisfaction',
      arm,
      kind: 'absolute' as const,
      threshold: 0.015,
      better: 'higher' as const,
      worsening,
      worst_case: worsening + 0.01,
      // eps_0.05 is 0.01 worse (uncertain: its interval reaches past 0.015), thompson 0.02 (breached).
      status: worsening > 0.015 ? ('breached' as const) : ('uncertain' as const),
      flagged: worsening > 0.015,
    };
  });
  return {
    scenario: 'eps-vs-thompson',
    design: 'twin_worlds',
    control: 'greedy',
    seeds,
    confidence: 0.95,
    difference: 'paired',
    measure_from: 2,
    pooled_training: false,
    arms: ARMS.map((name, a) => ({ name, role: a === 0 ? 'control' : 'treatment', kind: 'two_stage', traffic: 1 })),
    metrics,
    guardrails,
    guardrails_unavailable: ['retention_30d'],
  };
}

export function writeSyntheticCompare(dir: string, epochs = 20, replicas = 5): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'comparison.json'), JSON.stringify(comparisonFile(epochs, replicas), null, 1));
  writeFileSync(join(dir, 'scenario.resolved.yaml'), SCENARIO_YAML);
  return dir;
}

/** A hand-made compare report with nothing in it yet: tests fill in the arms and the figures they need. */
export function handMadeCompare(arms: readonly string[], replicas: number): ReportData {
  return staticReportData({ kind: 'compare', dir: 'hand-made', name: 'hand-made', arms: [...arms], control: arms[0], replicas, level: 0.95, facts: [], notes: [] });
}

/**
 * comparisonFile with an oracle baseline (arm `oracle`, kind oracle) whose differences from the
 * control are ten times thompson's with tight intervals, so any ranking that kept it would lead
 * with it; each design's `vs_oracle` on homogenization (clear of 0) and true satisfaction (not);
 * and recommended popularity with slopes: greedy rising, eps_0.05 falling, thompson flat.
 */
export function oracleComparisonFile(epochs = 20, replicas = 5): Comparison {
  const file = comparisonFile(epochs, replicas);
  type Figures = Comparison['metrics'][string]['arms'][string];
  const popularity = Object.fromEntries(Object.entries(file.metrics.ctr.arms).map(([arm, f]) => [arm, { ...f, mean: 0.6, ci95: [0.55, 0.65] as const, vs_control: f.vs_control && { ...f.vs_control, diff: 0, ci95: [-0.01, 0.01] as const } }]));
  const metrics: Record<string, Comparison['metrics'][string]> = { ...file.metrics, recommended_popularity: { better: 'lower', per_full_traffic: false, arms: popularity } };
  const slopes: Record<string, readonly [number, number, number]> = { greedy: [0.008, 0.003, 0.013], 'eps_0.05': [-0.002, -0.003, -0.001], thompson: [0.001, -0.004, 0.006], oracle: [0, -0.001, 0.001] };
  // Homogenization: the designs sit clear above the oracle's; true satisfaction: within the noise.
  const againstOracle: Record<string, { readonly oracle: number; readonly half: number }> = { homogenization: { oracle: 0.02, half: 0.002 }, mean_true_satisfaction: { oracle: 0.6, half: 1 } };
  for (const [metric, entry] of Object.entries(metrics)) {
    const thompson = entry.arms.thompson;
    const far = thompson.vs_control && { ...thompson.vs_control, diff: 10 * thompson.vs_control.diff, ci95: [10 * thompson.vs_control.diff - 1e-6, 10 * thompson.vs_control.diff + 1e-6] as const };
    const reference = againstOracle[metric];
    const oracle: Figures = { ...thompson, ...(reference === undefined ? {} : { mean: reference.oracle, ci95: [reference.oracle - 0.001, reference.oracle + 0.001] as const }), vs_control: far };
    const arms: Record<string, Figures> = {};
    for (const [arm, figures] of Object.entries({ ...entry.arms, oracle })) {
      const slope = slopes[arm];
      const diff = reference === undefined || arm === 'oracle' || figures.mean === null ? undefined : figures.mean - reference.oracle;
      arms[arm] = {
        ...figures,
        slope_per_day: metric === 'recommended_popularity' && slope !== undefined ? { mean: slope[0], ci95: [slope[1], slope[2]] } : null,
        ...(diff === undefined || reference === undefined ? {} : { vs_oracle: { diff, ci95: [diff - reference.half, diff + reference.half], relative: diff / reference.oracle, relative_ci95: null, df: replicas - 1 } }),
      };
    }
    metrics[metric] = { ...entry, arms };
  }
  return { ...file, oracle: 'oracle', arms: [...file.arms, { name: 'oracle', role: 'treatment', kind: 'oracle', traffic: 1 }], metrics };
}

export function writeOracleCompare(dir: string): string {
  writeSyntheticCompare(dir);
  writeFileSync(join(dir, 'comparison.json'), JSON.stringify(oracleComparisonFile(), null, 1));
  return dir;
}
