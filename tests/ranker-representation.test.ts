/**
 * What the ranker exports for linear Thompson sampling is exactly what its heads read: applying a
 * head's readout to the exported vector of a scored candidate reproduces that head's logit
 * (DCN-V2: the shared layer; MMoE: the head's own gated mixture). A retrain exports the held-out
 * rows' vectors under the new weights. And the whitening the policy puts on top keeps every
 * component at variance 1/k.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { symmetricEigen } from '../src/recommender/explore/symmetric-eigen.js';
import { Whitening } from '../src/recommender/explore/whitening.js';
import type { RankerConfig } from '../src/recommender/ranking/config.js';
import { MAX_POSITIONS, positionOneHot } from '../src/recommender/ranking/model.js';
import { EXPORTED_RECENT_ROWS, MultiTaskRanker } from '../src/recommender/ranking/multi-task-ranker.js';
import type { RankerRepresentation } from '../src/recommender/ranking/representation.js';
import type { RankerHead } from '../src/recommender/ranking/heads.js';
import type { Candidate, RecRequest } from '../src/recommender/types.js';
import { Rng } from '../src/rng/index.js';
import { replayAndRetrain, simulateRankerWorld, type RankerWorld } from './support/ranker-world.js';
import { servingBatch } from './support/serving-batch.js';

const BASE: RankerConfig = {
  model: 'dcn_v2',
  heads: ['click', 'watch', 'like'],
  cross_layers: 2,
  hidden: [16, 8],
  experts: 3,
  cross_rank: 'full',
  epochs: 1,
  batch_size: 512,
  learning_rate: 0.005,
  max_examples: 300_000,
  ips: { enabled: false, clip: 10 },
  calibration: 'isotonic',
  holdout: 0.2, on_divergence: 'stop',
};

const VARIANTS: Record<string, { change: Partial<RankerConfig>; head: RankerHead }> = {
  dcn: { change: {}, head: 'click' },
  mmoe: { change: { model: 'mmoe' }, head: 'watch' },
  'dcn-missing-head': { change: { hidden: [] }, head: 'survey' },
};

let world: RankerWorld;

beforeAll(async () => {
  await initBackend();
  world = await simulateRankerWorld();
}, 120_000);

/** A ranker of the given variant that observed every slate of the run and retrained on its log, exporting its head. */
async function trainedRanker(name: string): Promise<{ ranker: MultiTaskRanker; exported: RankerRepresentation }> {
  const variant = VARIANTS[name];
  if (!variant) throw new Error(name);
  const ranker = new MultiTaskRanker({ ...BASE, ...variant.change }, 'click + watch', world.catalog, world.users, new Rng(`ranker-representation/${name}`));
  const exported = ranker.exportRepresentation(variant.head);
  await replayAndRetrain(ranker, world);
  return { ranker, exported };
}

function batch(): { requests: RecRequest[]; candidates: Candidate[][] } {
  return servingBatch({ seed: 'representation/serving', users: world.users, catalog: world.catalog, requests: 12, candidatesPerRequest: 25, time: 2.1, pastSessions: 1 });
}

const logit = (p: number) => Math.log(p / (1 - p));

describe("the ranker's exported representation", () => {
  it.each([
    ['dcn', 'click', 0],
    ['mmoe', 'watch', 1],
    ['dcn-missing-head', 'click', 0],
  ])('%s: the %s head applied to the exported vector reproduces its logit for every scored candidate', async (name, head, h) => {
    const { ranker, exported } = await trainedRanker(name);
    const network = ranker.network;
    if (!network) throw new Error('untrained');
    expect(exported.head).toBe(head);
    expect(exported.version).toBe(1);
    expect(exported.dim).toBe(network.representationDim);
    const { requests, candidates } = batch();
    ranker.score(requests, candidates);
    const raw = ranker.predictHeads(requests, candidates, false);
    const { weights, positionBias } = network.readout(h);
    let checked = 0;
    let spread = 0;
    for (const [r, request] of requests.entries()) {
      const p = raw[r].get(ranker.heads[h]);
      if (!p) throw new Error('no head');
      for (const [k, c] of candidates[r].entries()) {
        const z = exported.lookup(request, c.itemId);
        if (!z) throw new Error('not exported');
        let s = positionBias[0];
        for (let i = 0; i < z.length; i++) s += z[i] * weights[i];
        expect(s).toBeCloseTo(logit(p[k]), 3);
        spread = Math.max(spread, Math.abs(s - positionBias[0]));
        checked++;
      }
    }
    expect(checked).toBe(12 * 25);
    // The head reads something that varies: a zero readout would pass the check trivially.
    expect(spread).toBeGreaterThan(0.05);
    // Only the last scored batch is kept.
    ranker.score([requests[0]], [candidates[0]]);
    expect(exported.lookup(requests[1], candidates[1][0].itemId)).toBeUndefined();
  });

  it("a retrain exports the head's most recent held-out rows, indexed into the log window", async () => {
    const { ranker, exported } = await trainedRanker('dcn');
    const recent = exported.recent;
    if (!recent) throw new Error('no recent rows');
    // 20% of the examples are held out of the click head, the most recent ones.
    expect(recent.n).toBeGreaterThan(0.15 * world.log.rows);
    expect(recent.x.length).toBe(recent.n * exported.dim);
    expect(recent.windowRows[recent.n - 1]).toBe(world.log.rows - 1);
    for (let k = 1; k < recent.n; k++) expect(recent.windowRows[k]).toBeGreaterThan(recent.windowRows[k - 1]);
    // Each exported vector is the network's representation of that row's features.
    const network = ranker.network;
    if (!network) throw new Error('untrained');
    const set = ranker.trainingSet(world.log, world.now);
    const firstWindowRow = world.log.rows - set.n;
    const dim = set.dim;
    const x = new Float32Array(recent.n * dim);
    const positions = new Int32Array(recent.n);
    recent.windowRows.forEach((windowRow, k) => {
      const row = windowRow - firstWindowRow;
      x.set(set.x.subarray(row * dim, (row + 1) * dim), k * dim);
      positions[k] = set.positions[row];
    });
    const want = tf.tidy(() => network.applyWithRepresentation(tf.tensor2d(x, [recent.n, dim]), tf.tensor2d(positionOneHot(positions), [recent.n, MAX_POSITIONS]), 0)[1].dataSync());
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(recent.x[i] - want[i]));
    expect(Math.max(...Array.from(want, Math.abs))).toBeGreaterThan(0.1);
    expect(worst).toBeLessThan(1e-4);
    ranker.dispose();
  });
});

describe('the exported held-out rows, bounded', () => {
  it('keeps only the most recent EXPORTED_RECENT_ROWS of a larger holdout', async () => {
    // 95% of the examples held out: more held-out rows than the bound, and few to train on.
    const ranker = new MultiTaskRanker({ ...BASE, holdout: 0.95 }, 'click + watch', world.catalog, world.users, new Rng('ranker-representation/bound'));
    const exported = ranker.exportRepresentation('click');
    await replayAndRetrain(ranker, world);
    const set = ranker.trainingSet(world.log, world.now);
    const held = set.holdout[0];
    expect(held.length).toBeGreaterThan(EXPORTED_RECENT_ROWS);
    const recent = exported.recent;
    if (!recent) throw new Error('no recent rows');
    expect(recent.n).toBe(EXPORTED_RECENT_ROWS);
    expect(recent.x.length).toBe(EXPORTED_RECENT_ROWS * exported.dim);
    const firstWindowRow = world.log.rows - set.n;
    expect(Array.from(recent.windowRows)).toEqual(Array.from(held.slice(-EXPORTED_RECENT_ROWS), (row) => firstWindowRow + row));
    ranker.dispose();
  });
});

describe('whitening', () => {
  it('eigen-decomposes a symmetric matrix: A v = λ v', () => {
    const a = [4, 1, 0.5, 1, 3, -0.2, 0.5, -0.2, 1];
    const { values, vectors } = symmetricEigen(a, 3);
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let k = 0; k < 3; k++) av += a[i * 3 + k] * vectors[k * 3 + j];
        expect(av).toBeCloseTo(values[j] * vectors[i * 3 + j], 10);
      }
    }
  });

  it('keeps the k leading components, each with variance 1/k and mean 0 over the rows it was fitted on', () => {
    const rng = new Rng('whitening');
    const n = 2000;
    const dim = 6;
    const x = new Float64Array(n * dim);
    for (let r = 0; r < n; r++) {
      const a = rng.normal(0, 3);
      const b = rng.normal(0, 1);
      // Rank 2 plus noise, far from the origin.
      for (let i = 0; i < dim; i++) x[r * dim + i] = 10 + a * (i + 1) + b * (i % 2 === 0 ? 1 : -1) + rng.normal(0, 0.1);
    }
    const w = Whitening.fit(x, n, dim, 3);
    if (!w) throw new Error('no fit');
    expect(w.components).toBe(3);
    const out = new Float64Array(3);
    const sums = new Float64Array(3);
    const squares = new Float64Array(3);
    for (let r = 0; r < n; r++) {
      w.apply(x.subarray(r * dim, (r + 1) * dim), out, 0);
      for (let c = 0; c < 3; c++) {
        sums[c] += out[c];
        squares[c] += out[c] * out[c];
      }
    }
    for (let c = 0; c < 3; c++) {
      expect(sums[c] / n).toBeCloseTo(0, 8);
      expect(squares[c] / (n - 1)).toBeCloseTo(1 / 3, 8);
    }
    expect(Whitening.fit(x, 1, dim, 3)).toBeNull();
  });
});
