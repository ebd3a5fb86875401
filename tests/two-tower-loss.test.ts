/**
 * The two-tower training loss on a tiny batch, against the formula written out by hand: in-batch
 * softmax cross-entropy over logits[b, j] = u_b·v_j / T − log q_j, where another example's
 * positive of the same item is masked out rather than counted as a negative.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { singletonBags } from '../src/ml/bags.js';
import { ITEM_NUMERIC, ITEM_SEGMENTS, USER_NUMERIC, USER_SEGMENTS, type TowerInputs } from '../src/recommender/two-tower/features.js';
import { TwoTowerModel, type TrainBatch } from '../src/recommender/two-tower/model.js';
import { samplingLogProbabilities } from '../src/recommender/two-tower/trainer.js';
import { RandomStreams } from '../src/rng/index.js';

const DIM = 4;
const TEMPERATURE = 0.2;

/** One row per example: each segment a single table row (id `ids[b] + k` for segment k), numeric columns from `numeric(b, c)`. */
function inputs(segments: typeof USER_SEGMENTS, numericWidth: number, ids: number[], numeric: (b: number, c: number) => number): TowerInputs {
  return {
    count: ids.length,
    segments: segments.map((table, k) => ({ table, bags: singletonBags(ids.map((id) => id + k)) })),
    numeric: Float32Array.from({ length: ids.length * numericWidth }, (_, i) => numeric(Math.floor(i / numericWidth), i % numericWidth)),
    numericWidth,
  };
}

function model(): TwoTowerModel {
  const m = new TwoTowerModel({ dim: DIM, temperature: TEMPERATURE, learningRate: 0.01, hidden: 8 }, new RandomStreams(7));
  m.ensureRows({ item: 12, tag: 12, creator: 12, country: 12 });
  return m;
}

/** Four users; their positives are items 0, 1, 2 and 1 again (a duplicate, masked as a negative of example 1). */
function batch(logQ: Float32Array | null): TrainBatch {
  const itemIds = Int32Array.from([0, 1, 2, 1]);
  return {
    user: inputs(USER_SEGMENTS, USER_NUMERIC, [3, 5, 7, 8], (b, c) => 0.3 * Math.sin(b + 2 * c)),
    item: inputs(ITEM_SEGMENTS, ITEM_NUMERIC, Array.from(itemIds), (b, c) => 0.2 * Math.cos(3 * b + c)),
    itemIds,
    logQ,
  };
}

/** −(1/n) Σ_b log softmax(logits_b)[b], written out. */
function handLoss(u: Float32Array, v: Float32Array, itemIds: Int32Array, logQ: Float32Array | null): number {
  const n = itemIds.length;
  let total = 0;
  for (let b = 0; b < n; b++) {
    const logits: number[] = [];
    for (let j = 0; j < n; j++) {
      if (j !== b && itemIds[j] === itemIds[b]) continue; // the same item is not a negative
      let dot = 0;
      for (let d = 0; d < DIM; d++) dot += u[b * DIM + d] * v[j * DIM + d];
      logits[j] = dot / TEMPERATURE - (logQ ? logQ[j] : 0);
    }
    const present = logits.filter((z) => z !== undefined);
    const top = Math.max(...present);
    const logSum = top + Math.log(present.reduce((s, z) => s + Math.exp(z - top), 0));
    total += logSum - logits[b];
  }
  return total / n;
}

beforeAll(async () => {
  await initBackend();
});

describe('two-tower in-batch softmax loss', () => {
  // Item 0 popular, item 2 rare: log q differs across columns, so the correction changes the loss.
  const logQ = Float32Array.from([0.6, 0.15, 0.1, 0.15], Math.log);

  it.each([
    ['with the logQ correction', logQ],
    ['without it', null],
  ])('%s, equals the hand-computed loss on the towers’ own embeddings', (_name, q) => {
    const m = model();
    const b = batch(q);
    const u = m.embedUsers(b.user);
    const v = m.embedItems(b.item);
    // trainStep reports the loss before its update.
    expect(m.trainStep(b)).toBeCloseTo(handLoss(u, v, b.itemIds, q), 4);
    m.dispose();
  });

  it('the correction subtracts log q: it moves the loss by more than the tolerance above', () => {
    const m = model();
    const b = batch(logQ);
    const u = m.embedUsers(b.user);
    const v = m.embedItems(b.item);
    const corrected = handLoss(u, v, b.itemIds, logQ);
    expect(Math.abs(corrected - handLoss(u, v, b.itemIds, null))).toBeGreaterThan(0.05);
    expect(Math.abs(corrected - handLoss(u, v, b.itemIds, logQ.map((x) => -x)))).toBeGreaterThan(0.05);
    m.dispose();
  });

  it('estimates each example’s log q as its item’s share of the positives', () => {
    const logQ = samplingLogProbabilities({ count: 4, itemIds: Int32Array.from([4, 9, 4, 4]) });
    expect(Array.from(logQ)).toEqual([0.75, 0.25, 0.75, 0.75].map((q) => Math.fround(Math.log(q))));
  });
});
