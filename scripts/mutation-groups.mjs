/**
 * Mutation-test groups: the source files where a silent bug changes results, and the fast test
 * files that are meant to kill their mutants. Slow end-to-end checks (notebooks, report browser,
 * experiment runs, full simulations) are left out: each surviving mutant reruns every covering test.
 */
export const GROUPS = {
  ope: {
    mutate: [
      'src/ope/estimators.ts',
      'src/ope/bootstrap.ts',
      'src/ope/reward-model.ts',
      'src/ope/slot.ts',
      'src/ope/slate-log.ts',
      'src/ope/policies/*.ts',
    ],
    // Not ope-estimators.test.ts: its unbiasedness checks over 100 logs take seconds per mutant;
    // they guard the estimators' statistics, the mechanics tests their arithmetic.
    tests: ['tests/ope-mechanics.test.ts', 'tests/ope-policies.test.ts'],
  },
  'ope-slate': {
    mutate: ['src/ope/slate/*.ts'],
    // The slate estimators against exact answers on enumerated logs and the user bootstrap's width. Not
    // ope-slate-logit.test.ts: its logit fits over seeded logs run past two minutes under instrumentation.
    tests: ['tests/ope-slate-estimators.test.ts'],
  },
  metrics: {
    mutate: ['src/metrics/*.ts', '!src/metrics/index.ts', '!src/metrics/types.ts'],
    // metric-registry: the declarations and what is derived from them (labels, directions, epochMean).
    tests: ['tests/metric-registry-mechanics.test.ts', 'tests/metric-plugin-registry.test.ts', 'tests/metric-registry.test.ts', 'tests/metrics.test.ts', 'tests/offline-metrics.test.ts', 'tests/metrics-mechanics.test.ts', 'tests/user-vectors.test.ts', 'tests/filter-bubble-metrics.test.ts', 'tests/creator-metrics.test.ts', 'tests/new-creator-metrics.test.ts', 'tests/new-user-metrics.test.ts', 'tests/taste-groups.test.ts'],
  },
  rerank: {
    mutate: ['src/recommender/rerank/*.ts'],
    // item-table: the re-ranker's similarity against itemSimilarity for every pair; rerank-registry: its declaration;
    // rerank-reference: the slates against the plain greedy MMR on random catalogs (under a second).
    tests: ['tests/rerank.test.ts', 'tests/rerank-edges.test.ts', 'tests/item-table.test.ts', 'tests/rerank-registry.test.ts', 'tests/rerank-reference.test.ts'],
  },
  replay: {
    mutate: ['src/simulation/replayed-traffic.ts', 'src/replay/replay-gaps.ts', 'src/replay/replay-table.ts', 'src/recommender/sources/topic-spread.ts'],
    // Hand-made traffic, rows and catalogs; replay.test.ts (a run replayed twice, a minute) is left to the suite.
    tests: ['tests/replayed-traffic.test.ts', 'tests/replay-gaps.test.ts', 'tests/topic-spread-source.test.ts'],
  },
  'sparse-optimiser': {
    mutate: ['src/ml/sparse-embedding.ts'],
    tests: ['tests/sparse-embedding.test.ts', 'tests/sparse-embedding-steps.test.ts'],
  },
  exploration: {
    mutate: ['src/recommender/explore/*.ts'],
    // Exact small-pool checks only. Instrumented code runs the Monte-Carlo loops ~25x slower:
    // explore-policies' frequency tests (20,000 slates each) pass the 120 s test timeout there, and
    // the simulations of explore-pipeline, ope-slot-logs and creator-cap cost seconds per mutant.
    tests: [
      'tests/explore-mechanics.test.ts',
      'tests/explore-slates.test.ts',
      'tests/explore-linear.test.ts',
      'tests/explore-policy-edges.test.ts',
      'tests/explore-linear-policy.test.ts',
      'tests/explore-exact-edges.test.ts',
      'tests/explore-registry.test.ts',
      'tests/explore-marginals-exact.test.ts',
      'tests/explore-update-cadence.test.ts',
    ],
  },
  // The ranker's data path in plain JavaScript: which rows train, their labels and weights, and
  // calibration. Its own group so its mutants run on tests of seconds, not the tfjs models'.
  'ranker-data': {
    mutate: [
      'src/recommender/ranking/training-set.ts',
      'src/recommender/ranking/training-replay.ts',
      'src/recommender/ranking/labels.ts',
      'src/recommender/ranking/next-day-return.ts',
      'src/recommender/ranking/calibration.ts',
      'src/recommender/ranking/features.ts',
      'src/recommender/ranking/item-stats.ts',
      'src/recommender/ranking/serving-rows.ts',
    ],
    // item-stats and ranker-features: each statistic and each feature column against its documented
    // value; serving-rows: the rows written already standardized against rows written whole.
    tests: [
      'tests/item-stats.test.ts',
      'tests/ranker-features.test.ts',
      'tests/serving-rows.test.ts',
      'tests/ranker-training-set.test.ts',
      'tests/training-replay.test.ts',
      'tests/next-day-return.test.ts',
      'tests/calibration.test.ts',
      'tests/calibration-mechanics.test.ts',
    ],
  },
  // The score formula: its parser, its checks against the heads, the affine fold and evaluation.
  'score-formula': {
    mutate: ['src/recommender/ranking/score-formula.ts', 'src/recommender/ranking/formula-expression.ts'],
    tests: ['tests/score-formula.test.ts'],
  },
  ranker: {
    mutate: [
      'src/recommender/ranking/dcn.ts',
      'src/recommender/ranking/mmoe.ts',
      'src/recommender/ranking/layers.ts',
      'src/recommender/ranking/model.ts',
      'src/recommender/ranking/multi-task-ranker.ts',
      'src/recommender/ranking/trainer.ts',
      'src/recommender/ranking/trainable.ts',
      'src/recommender/ranking/typed-layers.ts',
      'src/recommender/ranking/dcn-training.ts',
      'src/recommender/ranking/dcn-onnx-training.ts',
      'src/recommender/ranking/mmoe-training.ts',
      'src/ml/adam.ts',
      'src/recommender/ranking/pre-ranker.ts',
      'src/ml/onnx/graph.ts',
      'src/ml/onnx/protobuf.ts',
      'src/ml/wasm-matmul.ts',
      'src/ml/divergence.ts',
    ],
    // Mechanics on tiny models and on rankers trained on a one-day world (seconds each), cheapest
    // first (vitest.mutation.config.ts keeps this order); ranker.test.ts (~95 s) and ranker-options (~25 s)
    // check end-to-end quality and would make every covered mutant cost minutes.
    tests: [
      'tests/ranker-training-checks.test.ts',
      'tests/ranker-mechanics.test.ts',
      'tests/ranker-training.test.ts',
      'tests/typed-matmul.test.ts',
      'tests/onnx-serving.test.ts',
      'tests/wasm-matmul.test.ts',
      'tests/ranker-networks.test.ts',
      'tests/ranker-reports.test.ts',
      'tests/ranker-representation.test.ts',
      'tests/weighted-loss.test.ts',
      'tests/pre-ranker.test.ts',
      'tests/numeric-guards.test.ts',
    ],
  },
  checkpoint: {
    mutate: ['src/checkpoint/object-graph.ts', 'src/checkpoint/codecs.ts', 'src/run/checkpoint-file.ts', 'src/rng/rng.ts:47-79'],
    // Hand-made graphs, the file and the Rng codec (rng.ts: its constructor and codec); resume.test.ts (whole runs restored and
    // killed) takes half a minute per mutant and is left to the suite.
    tests: ['tests/checkpoint-graph.test.ts', 'tests/checkpoint-file.test.ts', 'tests/rng.test.ts'],
  },
  'two-tower': {
    mutate: [
      'src/recommender/two-tower/model.ts',
      'src/recommender/two-tower/trainer.ts',
      'src/recommender/two-tower/examples.ts',
      'src/recommender/two-tower/progressive-recall.ts',
      'src/ml/in-batch-softmax.ts',
      'src/ml/dense.ts',
      'src/ml/typed-matmul.ts',
      'src/ml/onnx/gemm.ts',
      'src/ml/onnx/in-batch-softmax-graph.ts',
    ],
    // The fused loss and the MLP against tfjs's own gradients, the loss against its hand-written
    // formula on a tiny batch, the typed products by hand; two-tower.test.ts trains full models.
    tests: ['tests/typed-matmul.test.ts', 'tests/in-batch-softmax.test.ts', 'tests/dense.test.ts', 'tests/two-tower-loss.test.ts', 'tests/two-tower-mechanics.test.ts'],
  },
};

/** The group names in the order `npm run mutation` runs them: cheapest first. */
export const GROUP_ORDER = ['checkpoint', 'rerank', 'replay', 'metrics', 'ope', 'ope-slate', 'sparse-optimiser', 'exploration', 'ranker-data', 'ranker', 'two-tower'];
