/**
 * Two-tower mechanics on a handful of rows: the training examples replay each user's clicks as
 * history strictly before the click (newest first, cut to the history length, with older clicks
 * still feeding histories past `maxExamples`), and a tiny model's towers give unit vectors that
 * training steps move towards their batch.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { singletonBags } from '../src/ml/bags.js';
import { collectExamples } from '../src/recommender/two-tower/examples.js';
import { deviceIndex, hourOfDay, itemInputs, ITEM_NUMERIC, ITEM_SEGMENTS, USER_NUMERIC, USER_SEGMENTS, UserQueries, userInputs, type TowerInputs } from '../src/recommender/two-tower/features.js';
import { IdEvidence } from '../src/recommender/two-tower/id-evidence.js';
import { evenlySpaced, firstOfEpoch, progressiveRecall, RECALL_SAMPLE } from '../src/recommender/two-tower/progressive-recall.js';
import { ExactRetriever } from '../src/recommender/retrieval/exact.js';
import { TwoTowerModel } from '../src/recommender/two-tower/model.js';
import { trainTwoTower } from '../src/recommender/two-tower/trainer.js';
import { RandomStreams, Rng } from '../src/rng/index.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';
import { PublicRegistry, type PublicItem, type PublicUser } from '../src/world/public.js';

/** [user, item, time, clicked] rows, one chunk per inner list, oldest first. */
function log(chunks: readonly (readonly [number, number, number, boolean][])[]): TrainingLog {
  const out = new TrainingLog(100);
  chunks.forEach((rows, epoch) => {
    const buffer = new ImpressionBuffer(4);
    for (const [userId, itemId, time, clicked] of rows) {
      buffer.append({
        time, epoch, slateId: 0, userId, itemId, position: 0, arm: 'a', source: 's', propensity: 1,
        clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null,
      });
    }
    out.add({ epoch, start: epoch, end: epoch + 1, impressions: buffer });
  });
  return out;
}

describe('two-tower training examples', () => {
  // User 1 clicks items 5, 6, 7, 8 (times 0.1..0.4, across two chunks); user 2 clicks 9; unclicked rows are no example.
  const window = log([
    [[1, 5, 0.1, true], [2, 4, 0.15, false], [1, 6, 0.2, true]],
    [[2, 9, 1.1, true], [1, 7, 1.3, true], [1, 3, 1.35, false], [1, 8, 1.4, true]],
  ]);

  it('one example per click, each with the history before it, newest first, cut to the history length', () => {
    const e = collectExamples(window, 2, 100);
    expect(e.count).toBe(5);
    expect(Array.from(e.userIds)).toEqual([1, 1, 2, 1, 1]);
    expect(Array.from(e.itemIds)).toEqual([5, 6, 9, 7, 8]);
    expect(Array.from(e.times)).toEqual([0.1, 0.2, 1.1, 1.3, 1.4]);
    expect(Array.from(e.historyCounts)).toEqual([0, 1, 0, 2, 2]);
    // Rows of two: unset entries stay 0.
    expect(Array.from(e.historyItems)).toEqual([0, 0, 5, 0, 0, 0, 6, 5, 7, 6]);
    expect(Array.from(e.historyTimes)).toEqual([0, 0, 0.1, 0, 0, 0, 0.2, 0.1, 1.3, 0.2]);
  });

  it('keeps the most recent clicks as examples; the older ones still make up the histories', () => {
    const e = collectExamples(window, 3, 2);
    expect(e.count).toBe(2);
    expect(Array.from(e.itemIds)).toEqual([7, 8]);
    expect(Array.from(e.historyCounts)).toEqual([2, 3]);
    expect(Array.from(e.historyItems)).toEqual([6, 5, 0, 7, 6, 5]);
    expect(collectExamples(log([[[1, 2, 0, false]]]), 3, 10).count).toBe(0);
  });

  it('from a first chunk on (train_on: new_epoch), only its clicks are examples, with histories from the whole window', () => {
    const e = collectExamples(window, 3, 100, 1);
    expect(Array.from(e.itemIds)).toEqual([9, 7, 8]);
    expect(Array.from(e.userIds)).toEqual([2, 1, 1]);
    expect(Array.from(e.historyCounts)).toEqual([0, 2, 3]);
    expect(Array.from(e.historyItems)).toEqual([0, 0, 0, 6, 5, 0, 7, 6, 5]);
    // The cap still keeps the newest of them.
    expect(Array.from(collectExamples(window, 3, 1, 1).itemIds)).toEqual([8]);
    expect(collectExamples(window, 3, 100, 2).count).toBe(0);
  });
});

const DIM = 4;

function inputs(segments: typeof USER_SEGMENTS, numericWidth: number, ids: readonly number[]): TowerInputs {
  return {
    count: ids.length,
    segments: segments.map((table, k) => ({ table, bags: singletonBags(ids.map((id) => id + k)) })),
    numeric: Float32Array.from({ length: ids.length * numericWidth }, (_, i) => 0.1 * ((i % 5) - 2)),
    numericWidth,
  };
}

function model(): TwoTowerModel {
  const m = new TwoTowerModel({ dim: DIM, temperature: 0.2, learningRate: 0.05, hidden: 8 }, new RandomStreams(3));
  m.ensureRows({ item: 20, tag: 20, creator: 20, country: 20 });
  return m;
}

function norms(x: Float32Array): number[] {
  return Array.from({ length: x.length / DIM }, (_, r) => Math.hypot(...x.subarray(r * DIM, (r + 1) * DIM)));
}

beforeAll(async () => {
  await initBackend();
});

describe('two-tower model', () => {
  it('embeds users and items as unit vectors; an empty batch as nothing', () => {
    const m = model();
    for (const n of norms(m.embedUsers(inputs(USER_SEGMENTS, USER_NUMERIC, [0, 3, 6])))) expect(n).toBeCloseTo(1, 5);
    for (const n of norms(m.embedItems(inputs(ITEM_SEGMENTS, ITEM_NUMERIC, [1, 2])))) expect(n).toBeCloseTo(1, 5);
    expect(m.embedItems(inputs(ITEM_SEGMENTS, ITEM_NUMERIC, []))).toHaveLength(0);
    m.dispose();
  });

  it('a row’s vector depends on each of its table rows and on its numeric features', () => {
    const m = model();
    const base = { ...inputs(USER_SEGMENTS, USER_NUMERIC, [0, 0]), numeric: new Float32Array(2 * USER_NUMERIC) };
    const vectors = (x: TowerInputs) => m.embedUsers(x);
    const same = vectors(base);
    expect(Array.from(same.subarray(0, DIM))).toEqual(Array.from(same.subarray(DIM)));
    // Row 1 differs from row 0 in one segment's table row only, then in one numeric column only.
    base.segments.forEach((_, k) => {
      const changed: TowerInputs = { ...base, segments: base.segments.map((s, j) => (j === k ? { table: s.table, bags: singletonBags([j, 15]) } : { table: s.table, bags: singletonBags([j, j]) })) };
      const v = vectors(changed);
      expect(Array.from(v.subarray(DIM))).not.toEqual(Array.from(v.subarray(0, DIM)));
    });
    for (let c = 0; c < USER_NUMERIC; c++) {
      const numeric = new Float32Array(2 * USER_NUMERIC);
      numeric[USER_NUMERIC + c] = 1;
      const v = vectors({ ...base, numeric });
      expect(Array.from(v.subarray(DIM))).not.toEqual(Array.from(v.subarray(0, DIM)));
    }
    m.dispose();
  });

  it('training steps lower the loss of their batch and move the shared towers; reset re-draws the weights', () => {
    const m = model();
    const batch = { user: inputs(USER_SEGMENTS, USER_NUMERIC, [0, 4, 8]), item: inputs(ITEM_SEGMENTS, ITEM_NUMERIC, [1, 2, 3]), itemIds: Int32Array.from([1, 2, 3]), logQ: null };
    // Item 12's table rows are never in a batch: its vector moves only through the item tower.
    const untouched = inputs(ITEM_SEGMENTS, ITEM_NUMERIC, [12]);
    const before = m.embedItems(untouched);
    const first = m.trainStep(batch);
    let last = first;
    for (let s = 0; s < 30; s++) last = m.trainStep(batch);
    expect(last).toBeLessThan(first - 0.3);
    expect(Array.from(m.embedItems(untouched))).not.toEqual(Array.from(before));
    const trained = m.embedUsers(batch.user);
    m.reset();
    expect(Array.from(m.embedUsers(batch.user))).not.toEqual(Array.from(trained));
    expect(Math.abs(m.trainStep(batch) - last)).toBeGreaterThan(1e-3);
    m.dispose();
  });

  it('takes another copy’s parameters exactly, and refuses a list of another length or shape', () => {
    const trained = model();
    const batch = { user: inputs(USER_SEGMENTS, USER_NUMERIC, [0, 4, 8]), item: inputs(ITEM_SEGMENTS, ITEM_NUMERIC, [1, 2, 3]), itemIds: Int32Array.from([1, 2, 3]), logQ: null };
    for (let s = 0; s < 5; s++) trained.trainStep(batch);
    const copy = new TwoTowerModel({ dim: DIM, temperature: 0.2, learningRate: 0.05, hidden: 8 }, new RandomStreams('another'));
    copy.ensureRows({ item: 20, tag: 20, creator: 20, country: 20 });
    copy.assignParameters(trained.parameters);
    expect(copy.parameters.map((p) => Array.from(p))).toEqual(trained.parameters.map((p) => Array.from(p)));
    expect(Array.from(copy.embedUsers(batch.user))).toEqual(Array.from(trained.embedUsers(batch.user)));
    expect(() => copy.assignParameters(trained.parameters.slice(1))).toThrow(/two_tower: \d+ parameter arrays for \d+/);
    const short = trained.parameters.map((p, k) => (k === 0 ? p.subarray(1) : p));
    expect(() => copy.assignParameters(short)).toThrow(/two_tower: parameter 0 has \d+ values, expected \d+/);
  });

  it('goes back to earlier parameters with its optimisers afresh: rows added since keep their draws, and the next step is a fresh model’s from those weights', () => {
    const batch = { user: inputs(USER_SEGMENTS, USER_NUMERIC, [0, 4, 8]), item: inputs(ITEM_SEGMENTS, ITEM_NUMERIC, [1, 2, 3]), itemIds: Int32Array.from([1, 2, 3]), logQ: null };
    const m = model();
    for (let s = 0; s < 3; s++) m.trainStep(batch);
    const good = m.parameters.map((p) => p.slice());
    for (let s = 0; s < 3; s++) m.trainStep(batch); // moments and weights move on
    m.ensureRows({ item: 25, tag: 20, creator: 20, country: 20 }); // five more item rows
    const added = m.parameters[0].slice(20 * DIM);
    m.restoreParameters(good);
    good.forEach((p, k) => expect(Array.from(m.parameters[k].subarray(0, p.length))).toEqual(Array.from(p)));
    expect(added.length).toBe(5 * DIM);
    expect(Array.from(m.parameters[0].subarray(20 * DIM))).toEqual(Array.from(added));
    // A fresh model given the same weights takes the same next step: no moment was carried over.
    const fresh = new TwoTowerModel({ dim: DIM, temperature: 0.2, learningRate: 0.05, hidden: 8 }, new RandomStreams('fresh'));
    fresh.ensureRows({ item: 25, tag: 20, creator: 20, country: 20 });
    fresh.assignParameters(m.parameters);
    expect(m.trainStep(batch)).toBe(fresh.trainStep(batch));
    expect(m.parameters.map((p) => Array.from(p))).toEqual(fresh.parameters.map((p) => Array.from(p)));
    expect(() => m.restoreParameters(good.slice(1))).toThrow(/parameter arrays/);
  });

  it('a step moves the table rows its batch pooled, each by its own example’s gradient, and no other row', () => {
    // The tables are private: bracket access reads them without widening the model's API.
    const rows = (m: TwoTowerModel, ids: readonly number[]) => ids.map((id) => Array.from(m['tables'].item.row(id)));
    const batch = { user: inputs(USER_SEGMENTS, USER_NUMERIC, [0, 4, 8]), item: inputs(ITEM_SEGMENTS, ITEM_NUMERIC, [1, 2, 3]), itemIds: Int32Array.from([1, 2, 3]), logQ: null };
    const a = model();
    const before = rows(a, [1, 2, 3, 12]);
    a.trainStep(batch);
    const after = rows(a, [1, 2, 3, 12]);
    for (let r = 0; r < 3; r++) expect(after[r]).not.toEqual(before[r]);
    expect(after[3]).toEqual(before[3]);
    // The same examples in another order: the loss is a mean over examples, so every row takes the same step.
    const order = [2, 0, 1];
    const permute = (x: TowerInputs): TowerInputs => ({
      ...x,
      segments: x.segments.map((s) => ({ table: s.table, bags: singletonBags(order.map((b) => s.bags.ids[b])) })),
      numeric: Float32Array.from(order.flatMap((b) => Array.from(x.numeric.subarray(b * x.numericWidth, (b + 1) * x.numericWidth)))),
    });
    const b = model();
    b.trainStep({ user: permute(batch.user), item: permute(batch.item), itemIds: Int32Array.from(order.map((k) => batch.itemIds[k])), logQ: null });
    const permuted = rows(b, [1, 2, 3]);
    for (let r = 0; r < 3; r++) for (let d = 0; d < DIM; d++) expect(permuted[r][d]).toBeCloseTo(after[r][d], 5);
    a.dispose();
    b.dispose();
  });

  it('holds no tensors: building, training, embedding and disposing leave the backend’s tensor count unchanged', () => {
    const held = tf.memory().numTensors;
    const m = model();
    m.trainStep({ user: inputs(USER_SEGMENTS, USER_NUMERIC, [0, 4, 8]), item: inputs(ITEM_SEGMENTS, ITEM_NUMERIC, [1, 2, 3]), itemIds: Int32Array.from([1, 2, 3]), logQ: null });
    m.embedUsers(inputs(USER_SEGMENTS, USER_NUMERIC, [0, 3]));
    m.embedItems(inputs(ITEM_SEGMENTS, ITEM_NUMERIC, [1, 2]));
    m.dispose();
    expect(tf.memory().numTensors).toBe(held);
  });

  it('each tower’s hidden layer is as wide as asked, else max(64, 2·dim)', () => {
    const parameters = (hidden: number | undefined, dim: number): number =>
      new TwoTowerModel({ dim, temperature: 0.2, learningRate: 0.01, hidden }, new RandomStreams(1)).towerParameters;
    expect(parameters(undefined, 4)).toBe(parameters(64, 4));
    expect(parameters(undefined, 40)).toBe(parameters(80, 40));
    // Per tower: inputs × hidden + hidden, then hidden × dim + dim; inputs are the segments' dim columns and the numeric ones.
    const tower = (inputs: number, hidden: number, dim: number) => inputs * hidden + hidden + hidden * dim + dim;
    expect(parameters(8, 4)).toBe(tower(USER_SEGMENTS.length * 4 + USER_NUMERIC, 8, 4) + tower(ITEM_SEGMENTS.length * 4 + ITEM_NUMERIC, 8, 4));
  });

  it('a batch of distinct items at zero temperature-scaled similarity has loss log n', () => {
    // With all inputs equal, u and v are the same for every row: every logit equal, loss = log n.
    const m = model();
    const same = (segments: typeof USER_SEGMENTS, width: number): TowerInputs => ({
      count: 3,
      segments: segments.map((table) => ({ table, bags: singletonBags([0, 0, 0]) })),
      numeric: new Float32Array(3 * width),
      numericWidth: width,
    });
    const loss = m.trainStep({ user: same(USER_SEGMENTS, USER_NUMERIC), item: same(ITEM_SEGMENTS, ITEM_NUMERIC), itemIds: Int32Array.from([1, 2, 3]), logQ: null });
    expect(loss).toBeCloseTo(Math.log(3), 5);
    m.dispose();
  });
});

describe('two-tower progressive recall', () => {
  /** Clicks of 13 users on 16 items (ids leave room for the test inputs' per-segment offsets), in time order. */
  function clicksLog(count: number): TrainingLog {
    return log([Array.from({ length: count }, (_, k): [number, number, number, boolean] => [k % 13, (k * 7 + (k % 3)) % 16, k / count, true])]);
  }

  it('finds where the newest epoch’s clicks begin, and spaces a sample of them evenly', () => {
    // Clicks at 0.1, 0.2 (epoch 0) and 1.1, 1.3, 1.4 (epoch 1).
    const examples = collectExamples(
      log([
        [[1, 5, 0.1, true], [1, 6, 0.2, true]],
        [[2, 9, 1.1, true], [1, 7, 1.3, true], [1, 8, 1.4, true]],
      ]),
      3,
      100,
    );
    expect(firstOfEpoch(examples, 1)).toBe(2);
    expect(firstOfEpoch(examples, 1.3)).toBe(3); // a click at the start belongs to the epoch
    expect(firstOfEpoch(examples, 0)).toBe(0);
    expect(firstOfEpoch(examples, 2)).toBe(5);
    expect(evenlySpaced(2, 10, 4)).toEqual([2, 4, 6, 8]);
    expect(evenlySpaced(2, 5, 10)).toEqual([2, 3, 4]);
    expect(evenlySpaced(5, 5, 3)).toEqual([]);
    expect(evenlySpaced(0, 7, 2)).toEqual([0, 3]);
  });

  it('counts the clicks whose item is among the top k of the user’s vector, from the given example on', () => {
    const m = model();
    const itemIds = Array.from({ length: 16 }, (_, i) => i);
    const itemVectors = m.embedItems(inputs(ITEM_SEGMENTS, ITEM_NUMERIC, itemIds));
    const retriever = new ExactRetriever(Int32Array.from(itemIds), itemVectors, DIM);
    const examples = collectExamples(clicksLog(40), 3, 100);
    const userInputsOf = (rows: readonly number[]) => inputs(USER_SEGMENTS, USER_NUMERIC, rows.map((r) => examples.userIds[r]));
    const k = 5;
    // By the definition: each row's user vector against every item, the k best kept.
    let hits = 0;
    for (let row = 10; row < 40; row++) {
      const u = m.embedUsers(userInputsOf([row]));
      const scores = itemIds.map((i) => itemVectors.subarray(i * DIM, (i + 1) * DIM).reduce((s, v, d) => s + v * u[d], 0));
      const top = [...itemIds].sort((x, y) => scores[y] - scores[x]).slice(0, k);
      if (top.includes(examples.itemIds[row])) hits++;
    }
    expect(hits).toBeGreaterThan(0);
    expect(hits).toBeLessThan(30);
    expect(progressiveRecall(m, retriever, examples, 10, k, userInputsOf)).toEqual({ recall: hits / 30, clicks: 30 });
    expect(progressiveRecall(m, retriever, examples, 40, k, userInputsOf)).toEqual({ recall: 0, clicks: 0 });
    expect(progressiveRecall(m, retriever, examples, 0, 16, userInputsOf)).toEqual({ recall: 1, clicks: 40 });
  });

  it(`samples at most ${RECALL_SAMPLE} clicks, evenly spaced from the first to the last`, () => {
    const m = model();
    const itemIds = Array.from({ length: 16 }, (_, i) => i);
    const retriever = new ExactRetriever(Int32Array.from(itemIds), m.embedItems(inputs(ITEM_SEGMENTS, ITEM_NUMERIC, itemIds)), DIM);
    const examples = collectExamples(clicksLog(2 * RECALL_SAMPLE + 10), 3, 1e9);
    const asked: number[] = [];
    const userInputsOf = (rows: readonly number[]) => {
      asked.push(...rows);
      return inputs(USER_SEGMENTS, USER_NUMERIC, rows.map((r) => examples.userIds[r]));
    };
    expect(progressiveRecall(m, retriever, examples, 10, 1, userInputsOf).clicks).toBe(RECALL_SAMPLE);
    expect(asked.length).toBe(RECALL_SAMPLE);
    expect(asked[0]).toBe(10);
    expect(asked[1]).toBe(12);
    expect(asked[RECALL_SAMPLE - 1]).toBe(2 * RECALL_SAMPLE + 8);
  });
});

describe('two-tower trainer', () => {
  function world(): { catalog: PublicRegistry<PublicItem>; users: PublicRegistry<PublicUser> } {
    const catalog = new PublicRegistry<PublicItem>();
    for (let id = 0; id < 6; id++) catalog.add({ id, creatorId: id % 3, topics: [id % 4], lengthMinutes: 2 + id, uploadTime: -1 });
    const users = new PublicRegistry<PublicUser>();
    for (let id = 0; id < 3; id++) users.add({ id, country: id, device: id === 0 ? 'tv' : 'mobile', typicalHour: 8, signupTime: -3 });
    return { catalog, users };
  }

  /** Seven clicks by three users; item 1 clicked three times, so log q varies. */
  const clicks = log([[[0, 1, 0.1, true], [1, 1, 0.2, true], [2, 3, 0.3, true], [0, 4, 0.4, true], [1, 1, 0.5, true], [2, 5, 0.6, true], [0, 2, 0.7, true]]]);

  function train(epochs: number, batchSize: number, logQCorrection: boolean, maxExamples = 100) {
    const { catalog, users } = world();
    const examples = collectExamples(clicks, 3, maxExamples);
    const evidence = new IdEvidence(0);
    evidence.update(examples.itemIds, 6);
    const m = new TwoTowerModel({ dim: DIM, temperature: 0.2, learningRate: 0.05, hidden: 8 }, new RandomStreams(5));
    m.ensureRows({ item: 6, tag: 4, creator: 3, country: 3 });
    const report = trainTwoTower(m, examples, { epochs, batchSize, logQCorrection, historyHalfLife: 7, evidence }, catalog, users, new Rng('order'));
    m.dispose();
    return report;
  }

  it('steps through each epoch in batches, dropping a tail of one (no in-batch negatives)', () => {
    expect(train(3, 3, false)).toMatchObject({ examples: 7, steps: 6 }); // batches of 3, 3; the seventh example alone is dropped
    expect(train(2, 2, false)).toMatchObject({ steps: 6 }); // 2, 2, 2 per epoch
    expect(train(1, 4, false)).toMatchObject({ steps: 2 }); // 4 and 3
    expect(train(2, 3, false, 6)).toMatchObject({ examples: 6, steps: 4 });
    expect(train(2, 3, false, 0)).toMatchObject({ examples: 0, steps: 0, loss: 0 });
  });

  it('gives each batch the examples’ own users, contexts and histories: one batch of all of them scores as built by hand', () => {
    const { catalog, users } = world();
    const examples = collectExamples(clicks, 3, 100);
    const evidence = new IdEvidence(0);
    evidence.update(examples.itemIds, 6);
    // A learning rate too small to move anything: every batch is scored by the initial weights.
    const frozen = (): TwoTowerModel => {
      const m = new TwoTowerModel({ dim: DIM, temperature: 0.2, learningRate: 1e-12, hidden: 8 }, new RandomStreams(5));
      m.ensureRows({ item: 6, tag: 4, creator: 3, country: 3 });
      return m;
    };
    const n = examples.count;
    const q = new UserQueries(n, 3);
    for (let e = 0; e < n; e++) {
      q.userIds[e] = examples.userIds[e];
      q.times[e] = examples.times[e];
      q.hours[e] = hourOfDay(examples.times[e]);
      q.devices[e] = deviceIndex(users.get(examples.userIds[e]).device);
      q.historyCounts[e] = examples.historyCounts[e];
    }
    q.historyItems.set(examples.historyItems);
    q.historyTimes.set(examples.historyTimes);
    const byHand = frozen();
    const whole = byHand.trainStep({ user: userInputs(q, catalog, users, 7, evidence), item: itemInputs(examples.itemIds, examples.times, catalog, evidence), itemIds: examples.itemIds, logQ: null });
    byHand.dispose();
    const options = { epochs: 1, logQCorrection: false, historyHalfLife: 7, evidence };
    const run = (batchSize: number): number => {
      const m = frozen();
      const { loss } = trainTwoTower(m, examples, { ...options, batchSize }, catalog, users, new Rng('order'));
      m.dispose();
      return loss;
    };
    // The in-batch loss does not depend on the order the trainer shuffles the rows into.
    expect(run(7)).toBeCloseTo(whole, 5);
    // Batches of two: each example has one negative instead of six, so the loss is far lower.
    expect(run(2)).toBeLessThan(whole - 0.5);
  });

  it('reports the last epoch’s mean loss, which training lowers, and which the logQ correction changes', () => {
    const one = train(1, 7, false);
    expect(one.loss).toBeGreaterThan(0.5);
    expect(one.loss).toBeLessThan(4);
    expect(train(25, 7, false).loss).toBeLessThan(one.loss - 0.3);
    expect(Math.abs(train(1, 7, true).loss - one.loss)).toBeGreaterThan(0.01);
    expect(one.seconds).toBeGreaterThanOrEqual(0);
    expect(one.seconds).toBeLessThan(60);
  });
});
