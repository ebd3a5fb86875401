/**
 * The weighted loss of the ranker and of its logistic baseline has the weighted optimum as its
 * fixed point at any batch size. A head that sees no features can only learn an intercept, and
 * the intercept that minimises Σ w·CE is the closed form logit = log(Σ w over positives /
 * Σ w over negatives). A loss divided by each batch's own weight drifts away from it (towards the
 * mean of per-batch weighted means), the more so the smaller the batch and the heavier the weights.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../src/ml/adam.js';
import { initBackend } from '../src/ml/backend.js';
import type { RankerConfig } from '../src/recommender/ranking/config.js';
import { LogisticBaseline } from '../src/recommender/ranking/logistic-baseline.js';
import { RankerModel } from '../src/recommender/ranking/model.js';
import { train, trainingRows, type TrainingData } from '../src/recommender/ranking/trainer.js';
import { Rng } from '../src/rng/index.js';

/** Rows per data set: not a multiple of the batch, so every epoch ends with a partial batch. */
const ROWS = 4_000;
const BATCH = 256;
/**
 * Allowed error of the learned logit: above Adam's jitter at the final step size, and under half
 * the distance to where a loss divided by each batch's own weight settles (checked below).
 */
const TOLERANCE = 0.01;

interface WeightedLabels {
  readonly labels: Float32Array;
  readonly weights: Float32Array;
}

/** Clicks at 5%, each weighted by its watch time (exponential, mean 20 minutes); 1 elsewhere. */
function watchTimeWeights(rng: Rng): WeightedLabels {
  const labels = new Float32Array(ROWS);
  const weights = new Float32Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    labels[i] = rng.bernoulli(0.05) ? 1 : 0;
    weights[i] = labels[i] === 1 ? rng.exponential(1 / 20) : 1;
  }
  return { labels, weights };
}

/**
 * IPS weights min(100, 1/propensity): most rows exploited (propensity 0.5 to 1, click rate 5%),
 * 3% explored (propensity 0.01 to 0.05, click rate 50%), so weight and label are correlated.
 */
function ipsWeights(rng: Rng): WeightedLabels {
  const labels = new Float32Array(ROWS);
  const weights = new Float32Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    const explored = rng.bernoulli(0.03);
    const propensity = explored ? rng.uniform(0.01, 0.05) : rng.uniform(0.5, 1);
    labels[i] = rng.bernoulli(explored ? 0.5 : 0.05) ? 1 : 0;
    weights[i] = Math.min(100, 1 / propensity);
  }
  return { labels, weights };
}

/** One head, one feature that is always 0, every row at position 0: only an intercept can be learned. */
function featureFree({ labels, weights }: WeightedLabels): TrainingData {
  return { dim: 1, heads: 1, x: new Float32Array(ROWS), positions: new Int32Array(ROWS), labels, mask: new Float32Array(ROWS).fill(1), weights };
}

function weightedLogOdds({ labels, weights }: WeightedLabels): number {
  let positive = 0;
  let negative = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) positive += weights[i];
    else negative += weights[i];
  }
  return Math.log(positive / negative);
}

/**
 * Where a loss divided by each batch's own weight settles: its gradient for an intercept is
 * σ(z) − (the batch's weighted mean label), so σ(z) ends at the mean of the per-batch weighted
 * means over random batches (the partial last one included, as one step like the others).
 */
function perBatchFixedPoint({ labels, weights }: WeightedLabels, rng: Rng): number {
  const order = Array.from({ length: labels.length }, (_, i) => i);
  let sum = 0;
  let batches = 0;
  for (let pass = 0; pass < 100; pass++) {
    rng.shuffle(order);
    for (let start = 0; start < order.length; start += BATCH) {
      let positive = 0;
      let total = 0;
      for (const i of order.slice(start, start + BATCH)) {
        positive += weights[i] * labels[i];
        total += weights[i];
      }
      sum += positive / total;
      batches++;
    }
  }
  const p = sum / batches;
  return Math.log(p / (1 - p));
}

function unweightedLogOdds({ labels }: WeightedLabels): number {
  const positives = labels.reduce((s, y) => s + y, 0);
  return Math.log(positives / (labels.length - positives));
}

const CONFIG: RankerConfig = {
  model: 'dcn_v2',
  heads: ['click'],
  cross_layers: 1,
  hidden: [4],
  experts: 2,
  cross_rank: 'full',
  epochs: 1,
  batch_size: BATCH,
  learning_rate: 0.002,
  max_examples: ROWS,
  ips: { enabled: true, clip: 100 },
  calibration: 'none',
  holdout: 0, on_divergence: 'stop',
};

/**
 * The ranker's logit for a feature-free row after training from a zero intercept: a coarse pass
 * to get near, then a fine one (smaller steps, so Adam's jitter stays well inside the tolerance).
 */
function rankerLogit(data: TrainingData, seed: string): number {
  const model = new RankerModel(CONFIG, data.dim, data.heads, new Rng(`${seed}/init`));
  const order = new Rng(`${seed}/order`);
  for (const { learningRate, epochs } of [{ learningRate: 0.02, epochs: 20 }, { learningRate: 0.002, epochs: 20 }]) {
    train(model, new Adam(learningRate), data, trainingRows(data), epochs, BATCH, order);
  }
  const logit = model.predict(new Float32Array(data.dim), 1)[0];
  model.dispose();
  return logit;
}

function logisticLogit(data: TrainingData, seed: string): number {
  const baseline = new LogisticBaseline(data.dim, data.heads);
  baseline.fit(data, trainingRows(data), new Rng(`${seed}/order`), { epochs: 400, batchSize: BATCH, learningRate: 0.001, l2: 0 });
  return baseline.logits(new Float32Array(data.dim), 0, 0, new Float64Array(1))[0];
}

const CASES = [
  { name: 'watch-time weights on clicks', make: watchTimeWeights },
  { name: 'IPS weights, propensity correlated with the label', make: ipsWeights },
];

beforeAll(async () => {
  await initBackend();
});

describe.each(CASES)('an intercept trained with $name', ({ name, make }) => {
  const weighted = make(new Rng(`weighted-loss/${name}`));
  const data = featureFree(weighted);
  const optimum = weightedLogOdds(weighted);

  it('has a weighted optimum far from the unweighted one (the weights matter)', () => {
    expect(Math.abs(optimum - unweightedLogOdds(weighted))).toBeGreaterThan(0.3);
  });

  it('has a weighted optimum that a loss divided by each batch’s own weight misses by over twice the tolerance', () => {
    const missed = perBatchFixedPoint(weighted, new Rng(`weighted-loss/${name}/per-batch`)) - optimum;
    console.log(`${name}: per-batch normalised fixed point misses by ${missed.toFixed(4)}`);
    expect(Math.abs(missed)).toBeGreaterThan(2 * TOLERANCE);
  });

  it(`reaches log(Σ w₊ / Σ w₋) in the ranker at batch ${BATCH}`, () => {
    const logit = rankerLogit(data, name);
    console.log(`${name}: ranker logit ${logit.toFixed(4)}, weighted optimum ${optimum.toFixed(4)}, error ${(logit - optimum).toFixed(4)}`);
    expect(Math.abs(logit - optimum)).toBeLessThan(TOLERANCE);
  });

  it(`reaches log(Σ w₊ / Σ w₋) in the logistic baseline at batch ${BATCH}`, () => {
    const logit = logisticLogit(data, name);
    console.log(`${name}: logistic logit ${logit.toFixed(4)}, weighted optimum ${optimum.toFixed(4)}, error ${(logit - optimum).toFixed(4)}`);
    expect(Math.abs(logit - optimum)).toBeLessThan(TOLERANCE);
  });
});
