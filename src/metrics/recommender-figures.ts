/**
 * Figures a recommender reports about itself (diagnostics, merged into the metrics row) and the
 * serving latencies (timings.jsonl), declared by pattern: one column per head or stage.
 */
import { metricFamily, undeclared, type DefinedWhen } from './declaration.js';

/** The ranker's figures are 0 until its first training. */
const RANKER_TRAINED: DefinedWhen = {
  test: (row) => row.ranker_train_examples === undefined || row.ranker_train_examples > 0,
  note: 'undefined until the ranker has trained',
};

export const RECOMMENDER_FIGURES = metricFamily({
  metrics: {},
  settings: {},
  patterns: [
    {
      pattern: /^ece_(.+)_(raw|calibrated)$/,
      declare: (m) => ({ ...undeclared(m[0]), label: `ECE of the ${m[1]} head, ${m[2]}`, unit: 'probability', description: 'expected calibration error', defined: RANKER_TRAINED }),
    },
    { pattern: /^ranker_auc_/, declare: (m) => ({ ...undeclared(m.input), defined: RANKER_TRAINED }) },
    {
      pattern: /^two_tower_recall$/,
      declare: (m) => ({
        ...undeclared(m.input),
        label: 'Two-tower recall@k',
        unit: '% of clicks',
        format: 'percent',
        better: 'higher',
        description: "share of the epoch's clicks whose item was in the two-tower source's top k, measured before training on them",
        defined: { test: (row) => row.two_tower_recall_clicks === undefined || row.two_tower_recall_clicks > 0, note: 'undefined until a trained model has served an epoch' },
      }),
    },
    {
      pattern: /^two_tower_ann_recall$/,
      declare: (m) => ({
        ...undeclared(m.input),
        label: 'Two-tower index recall@k',
        unit: '% of the exact top k',
        format: 'percent',
        better: 'higher',
        description: "share of the exact top k that the two-tower's index (an inverted file or HNSW; 1 when exact) returns for the newest epoch's queries, measured after each retrain",
        defined: { test: (row) => row.two_tower_ann_probes === undefined || row.two_tower_ann_probes > 0, note: 'undefined until a retrain has queries to probe the index with' },
      }),
    },
    {
      pattern: /^latency_(.+)_(p\d+)_ms$/,
      declare: (m) => ({
        ...undeclared(m[0]),
        label: `${m[1].charAt(0).toUpperCase()}${m[1].slice(1)} latency ${m[2]}`,
        unit: 'ms',
        description: 'wall clock per request',
        // 0 in epochs where the pipeline served nothing (e.g. the random start-up).
        defined: { test: (row) => row[m[0]] !== 0, note: 'left out of epochs where the pipeline served nothing (e.g. the random start-up)' },
      }),
    },
  ],
  create: null,
});
