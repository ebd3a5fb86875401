/**
 * The registry's readings, value by value on hand-made rows: when a figure counts, the one mean
 * over epochs, the footnote, declarations made from column patterns (recommender figures,
 * latency, slices) and the bookkeeping columns. Fast, so the metrics mutation group runs it.
 */
import { describe, expect, it } from 'vitest';
import { undeclared } from '../src/metrics/declaration.js';
import {
  BOOKKEEPING_COLUMNS,
  declarationOf,
  epochMean,
  isBookkeeping,
  isDefined,
  metricDirection,
  scalesWithUsers,
  UNDEFINED_MARK,
  undefinedNote,
} from '../src/metrics/registry.js';

describe('when a figure counts, and the mean over epochs', () => {
  it('return_rate: undefined in epoch 0, so the mean skips it; always-defined ctr keeps every epoch', () => {
    const rows = [
      { epoch: 0, return_rate: 0, ctr: 0.1 },
      { epoch: 1, return_rate: 0.4, ctr: 0.2 },
      { epoch: 2, return_rate: 0.6, ctr: 0.3 },
    ];
    expect(rows.map((r) => isDefined('return_rate', r))).toEqual([false, true, true]);
    expect(rows.map((r) => isDefined('ctr', r))).toEqual([true, true, true]);
    expect(epochMean('return_rate', rows)).toBeCloseTo(0.5, 15);
    expect(epochMean('ctr', rows)).toBeCloseTo(0.2, 15);
    // Defined in no epoch: undefined, never 0.
    expect(epochMean('return_rate', [rows[0]])).toBeUndefined();
    // A column missing from a row is skipped, not read as 0.
    expect(epochMean('ctr', [{ epoch: 0 }, { epoch: 1, ctr: 0.5 }])).toBe(0.5);
    // The value reader: here each row's figure doubled.
    expect(epochMean('ctr', rows, (r) => (r.ctr === undefined ? undefined : 2 * r.ctr))).toBeCloseTo(0.4, 15);
  });

  it('true satisfaction per click: undefined in an epoch without clicks, defined where clicks are not reported', () => {
    expect(isDefined('mean_true_satisfaction', { clicks: 0, mean_true_satisfaction: 0 })).toBe(false);
    expect(isDefined('mean_true_satisfaction', { clicks: 3, mean_true_satisfaction: 1.2 })).toBe(true);
    expect(isDefined('mean_true_satisfaction', { mean_true_satisfaction: 1.2 })).toBe(true);
    expect(undefinedNote('mean_true_satisfaction')).toBe('undefined in epochs without clicks');
    expect(epochMean('mean_true_satisfaction', [{ clicks: 0, mean_true_satisfaction: 0 }, { clicks: 2, mean_true_satisfaction: 1.5 }])).toBe(1.5);
  });

  it('retention_7d counts from day 8; the footnote says when a metric is undefined', () => {
    expect(isDefined('retention_7d', { day_end: 7 })).toBe(false);
    expect(isDefined('retention_7d', { day_end: 8 })).toBe(true);
    expect(undefinedNote('retention_7d')).toBe('undefined before day 8 (no cohort yet)');
    expect(undefinedNote('ctr')).toBeUndefined();
  });
});

describe('declarations made from column patterns', () => {
  it('ECE and ranker AUC count once the ranker has trained', () => {
    const ece = declarationOf('ece_click_calibrated');
    expect(ece.label).toBe('ECE of the click head, calibrated');
    expect(ece.unit).toBe('probability');
    expect(isDefined('ece_click_raw', { ranker_train_examples: 0 })).toBe(false);
    expect(isDefined('ece_click_raw', { ranker_train_examples: 10 })).toBe(true);
    expect(isDefined('ranker_auc_like', { ranker_train_examples: 0 })).toBe(false);
    expect(isDefined('ranker_auc_like', {})).toBe(true);
    expect(ece.description).toBe('expected calibration error');
    expect(undefinedNote('ece_click_raw')).toBe('undefined until the ranker has trained');
    expect(undefinedNote('ranker_auc_like')).toBe('undefined until the ranker has trained');
  });

  it('two-tower recall counts once a trained model has served an epoch, and is better higher', () => {
    const recall = declarationOf('two_tower_recall');
    expect(recall.label).toBe('Two-tower recall@k');
    expect(recall.better).toBe('higher');
    expect(isDefined('two_tower_recall', { two_tower_recall_clicks: 0 })).toBe(false);
    expect(isDefined('two_tower_recall', { two_tower_recall_clicks: 200 })).toBe(true);
    expect(isDefined('two_tower_recall', {})).toBe(true);
    expect(undefinedNote('two_tower_recall')).toBe('undefined until a trained model has served an epoch');
  });

  it('latency columns: labelled by stage and percentile, left out where nothing was served', () => {
    const latency = declarationOf('latency_ranking_p95_ms');
    expect(latency.label).toBe('Ranking latency p95');
    expect(latency.unit).toBe('ms');
    expect(isDefined('latency_ranking_p95_ms', { latency_ranking_p95_ms: 0 })).toBe(false);
    expect(isDefined('latency_ranking_p95_ms', { latency_ranking_p95_ms: 3 })).toBe(true);
    expect(latency.description).toBe('wall clock per request');
    expect(undefinedNote('latency_ranking_p95_ms')).toBe('left out of epochs where the pipeline served nothing (e.g. the random start-up)');
  });

  it('a pattern declares only whole column names: text around a match leaves the column undeclared', () => {
    for (const column of ['pre_ece_click_raw', 'ece_click_raw_total', 'my_ranker_auc_click', 'pre_latency_ranking_p95_ms', 'latency_ranking_p95_ms_max']) {
      expect(declarationOf(column), column).toEqual(undeclared(column));
    }
  });

  it("a slice column takes its base metric's direction; an unknown column is labelled from its name", () => {
    expect(metricDirection('ctr_slice_device_tv')).toBe('higher');
    // The base (ctr) is charted and a headline; its slices are neither: they are read in the slice table.
    expect(declarationOf('ctr_slice_device_tv')).toMatchObject({ label: 'Click-through rate · device tv', chart: null, headline: false });
    expect(metricDirection('churned')).toBe('lower');
    expect(metricDirection('signups')).toBeUndefined();
    expect(declarationOf('some_new_figure')).toEqual({
      label: 'Some new figure',
      unit: 'value',
      format: 'number',
      description: 'some_new_figure',
      better: null,
      defined: 'always',
      overEpochs: 'mean',
      scalesWithUsers: false,
      chart: null,
      headline: false,
    });
    expect(scalesWithUsers('sessions')).toBe(true);
    expect(scalesWithUsers('ctr')).toBe(false);
  });

  it('bookkeeping columns are not metrics', () => {
    expect(BOOKKEEPING_COLUMNS).toEqual(['epoch', 'day_start', 'day_end', 'round']);
    expect(BOOKKEEPING_COLUMNS.every(isBookkeeping)).toBe(true);
    expect(isBookkeeping('ctr')).toBe(false);
  });

  it('tables mark an undefined figure with a dash, never a blank', () => {
    expect(UNDEFINED_MARK).toBe('–');
  });
});
