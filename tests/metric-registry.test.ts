/**
 * The metric registry: every metric a run writes is declared once, the lists the rest of the
 * code used to keep by hand are derived from the declarations, and a declaration that leaves a
 * field out does not compile (`tsc --noEmit` checks the @ts-expect-error lines below).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricFamily, undeclared, type MetricDeclarations } from '../src/metrics/declaration.js';
import {
  declarationOf,
  DIRECTED_METRICS,
  familyMetrics,
  HEADLINE_METRICS,
  isBookkeeping,
  METRIC_SETTINGS,
  scalesWithUsers,
  SUMMED_METRICS,
} from '../src/metrics/registry.js';
import { parseScenario } from '../src/scenario/index.js';
import { GOLDEN_DIR } from './support/golden.js';

describe('declarations', () => {
  it('do not compile with a field left out', () => {
    const incomplete = {
      // @ts-expect-error no `better`: which way is an improvement must be said, even when it is null
      shown: { label: 'Shown', unit: 'items', format: 'count', description: 'per epoch', defined: 'always', overEpochs: 'sum', scalesWithUsers: true, chart: null, headline: false },
    } satisfies MetricDeclarations;
    // @ts-expect-error no `create`: a family says how its figures are computed, or null
    const family = () => metricFamily({ metrics: incomplete, patterns: [], settings: {} });
    expect(Object.keys(incomplete)).toEqual(['shown']);
    expect(typeof family).toBe('function');
  });

  it('cover every column a run writes from the world (by name or by slice pattern)', () => {
    const row = JSON.parse(readFileSync(join(GOLDEN_DIR, 'baseline', 'metrics.jsonl'), 'utf8').split('\n')[0]) as Record<string, number>;
    const columns = Object.keys(row).filter((c) => !isBookkeeping(c));
    expect(columns.length).toBeGreaterThan(30);
    for (const column of columns) expect(declarationOf(column), column).not.toEqual(undeclared(column));
    expect(declarationOf('ctr_slice_device_tv')).toMatchObject({ label: 'Click-through rate · device tv', better: 'higher', chart: null });
    expect(declarationOf('latency_ranking_p95_ms').defined).not.toBe('always');
  });
});

describe('derived lists', () => {
  it('give directions, totals, user scaling, headline and chart panels from the declarations', () => {
    expect(DIRECTED_METRICS).toEqual(expect.arrayContaining(['ctr', 'churned', 'impression_gini', 'time_to_first_impression_median', 'fresh_impression_share']));
    for (const volume of ['slates', 'impressions', 'signups', 'new_items', 'lai_robbins_bound']) expect(DIRECTED_METRICS).not.toContain(volume);
    expect([...SUMMED_METRICS].sort()).toEqual(['churned', 'clicks', 'impressions', 'new_creators_first_days_ended', 'new_items', 'new_items_first_days_ended', 'new_users_first_satisfied', 'new_users_first_week_ended', 'sessions', 'signups', 'slates', 'watch_minutes']);
    expect(scalesWithUsers('daily_active_users')).toBe(true);
    expect(scalesWithUsers('ctr')).toBe(false);
    expect(familyMetrics('long_term')).toEqual(['mean_true_satisfaction', 'mean_session_satisfaction', 'return_rate', 'retention_7d', 'retention_30d', 'active_days_7d', 'daily_active_users']);
    expect(familyMetrics('cold_start')).toEqual(['new_user_retention_7d', 'established_retention_7d', 'new_user_retention_30d', 'established_retention_30d', 'fresh_impression_share', 'new_items_never_shown_share', 'time_to_first_impression_median', 'new_items_first_shown', 'new_items_unseen_first_days', 'new_item_exposure_quality_rank_corr', 'sessions_to_satisfaction_median', 'new_users_satisfied_first_week', 'small_creator_exposure_ratio', 'small_creator_ctr_gap', 'creator_exposure_gini', 'new_creator_exposure_ratio', 'new_creator_ctr_gap', 'new_creators_unseen_first_days']);
    expect(HEADLINE_METRICS.slice(0, 5)).toEqual(['ctr', 'watch_minutes_per_active_user', 'mean_true_satisfaction', 'return_rate', 'daily_active_users']);
    expect(HEADLINE_METRICS).toHaveLength(11);
  });

  it("make the scenario's metrics section from the families' settings", () => {
    expect(Object.keys(METRIC_SETTINGS)).toEqual(['homogenization_sample', 'long_tail_head_share', 'fresh_age', 'new_item_days', 'satisfying_utility', 'large_creator_share', 'new_creator_days', 'new_creator_first_days', 'plugins']);
    const scenario = parseScenario('name: s\nhorizon: { days: 1 }\nrecommender: { kind: random }\nmetrics: { fresh_age: 12h }\n', 's.yaml');
    expect(scenario.metrics).toEqual({ homogenization_sample: 300, long_tail_head_share: 0.2, fresh_age: 0.5, new_item_days: 3, satisfying_utility: 0.625, large_creator_share: 0.2, new_creator_days: 14, new_creator_first_days: 7 });
    expect(() => parseScenario('name: s\nhorizon: { days: 1 }\nrecommender: { kind: random }\nmetrics: { long_tail_head_share: 1.5 }\n', 's.yaml')).toThrow(/long_tail_head_share/);
    expect(() => parseScenario('name: s\nhorizon: { days: 1 }\nrecommender: { kind: random }\nmetrics: { fresh: 1 }\n', 's.yaml')).toThrow(/fresh_age/);
  });
});
