/**
 * Serving on ONNX Runtime: the graph each ranker network writes must give the logits (and the
 * exported representation, an output only when a head asks for it) of its tfjs forward pass at
 * position 0, for every weight, and a RankerModel must never serve with weights older than its
 * own. The protobuf writer is checked byte for byte on varints, the one encoding it does by hand;
 * the graph builder's refusal of a constant that does not fill its shape, and the fixed sizes it
 * declares, which ONNX Runtime holds the feeds to.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { OnnxGraph } from '../src/ml/onnx/graph.js';
import { ProtoWriter } from '../src/ml/onnx/protobuf.js';
import { inferenceBackend, OnnxSession } from '../src/ml/onnx/runtime.js';
import type { RankerConfig } from '../src/recommender/ranking/config.js';
import { DcnV2Network } from '../src/recommender/ranking/dcn.js';
import { MmoeNetwork } from '../src/recommender/ranking/mmoe.js';
import { MAX_POSITIONS, positionOneHot, RankerModel, type RankerNetwork } from '../src/recommender/ranking/model.js';
import { rankerSection } from '../src/recommender/ranking/settings.js';
import { Rng } from '../src/rng/index.js';

beforeAll(async () => {
  await initBackend();
});

/** Every variable to seeded uniform values in ±1 (the head weights start at zero, which would hide a wrong readout). */
function randomise(network: RankerNetwork, rng: Rng): void {
  for (const v of network.variables) tf.tidy(() => v.assign(tf.tensor(Float32Array.from({ length: v.size }, () => rng.uniform(-1, 1)), v.shape)));
}

function features(rows: number, dim: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: rows * dim }, () => rng.normal(0, 1));
}

/** The tfjs forward pass at position 0: logits and, for `head`, its representation. */
function tfjsForward(network: RankerNetwork, x: Float32Array, rows: number, dim: number, head: number): [Float32Array, Float32Array] {
  return tf.tidy(() => {
    const [logits, representation] = network.applyWithRepresentation(tf.tensor2d(x, [rows, dim]), tf.tensor2d(positionOneHot(new Int32Array(rows)), [rows, MAX_POSITIONS]), head);
    return [logits.dataSync() as Float32Array, representation.dataSync() as Float32Array];
  });
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  expect(worst).toBeLessThan(1e-4);
}

const config = (model: Record<string, unknown>): RankerConfig => rankerSection.parse(model);

describe('ONNX Runtime serving', () => {
  it('is the backend this machine serves with (a fresh install has it)', () => {
    expect(inferenceBackend()).toBe('onnxruntime');
  });

  const cases: [string, RankerConfig][] = [
    ['dcn_v2 with a deep tower', config({ model: 'dcn_v2', cross_layers: 3, hidden: [16, 8] })],
    ['dcn_v2, cross network only', config({ model: 'dcn_v2', cross_layers: 1, hidden: [] })],
    ['dcn_v2 at rank 3 with a deep tower', config({ model: 'dcn_v2', cross_layers: 2, hidden: [16, 8], cross_rank: 3 })],
    ['dcn_v2 at rank 2, cross network only', config({ model: 'dcn_v2', cross_layers: 2, hidden: [], cross_rank: 2 })],
    ['mmoe, one expert layer', config({ model: 'mmoe', cross_layers: 2, hidden: [6], experts: 3 })],
    ['mmoe, two expert layers', config({ model: 'mmoe', cross_layers: 1, hidden: [8, 5], experts: 4 })],
    ['mmoe at rank 3', config({ model: 'mmoe', cross_layers: 2, hidden: [6], experts: 3, cross_rank: 3 })],
  ];
  for (const [name, ranker] of cases) {
    it(`${name}: the graph's logits and representation are the tfjs forward pass's`, () => {
      const dim = 7;
      const heads = 3;
      const model = new RankerModel(ranker, dim, heads, new Rng(`onnx-${name}`));
      randomise(model.network, new Rng(`weights-${name}`));
      model.weightsChanged();
      const rows = 37;
      const x = features(rows, dim, new Rng(`x-${name}`));
      for (let head = 0; head < heads; head++) {
        const [logits, representation] = tfjsForward(model.network, x, rows, dim, head);
        const served = model.predictWithRepresentation(x, rows, head);
        expectClose(served.logits, logits);
        expectClose(served.representation, representation);
        expectClose(model.predict(x, rows), logits);
      }
      model.dispose();
    });

    it(`${name}: the graph serves its representation only when a head asks for it`, () => {
      const model = new RankerModel(ranker, 7, 3, new Rng(`onnx-${name}`));
      const graph = new OnnxGraph();
      const x = graph.input('x', ['batch', 7]);
      // Every serving call copies each output out of the runtime: rows × representationDim floats for nothing.
      expect(model.network.servingGraph(graph, x, null).representation).toBeNull();
      expect(model.network.servingGraph(graph, x, 1).representation).not.toBeNull();
      model.dispose();
    });
  }

  it('a model serves with its newest weights: setting the output bias and training rebuild the session', () => {
    const dim = 5;
    const model = new RankerModel(config({ model: 'dcn_v2', cross_layers: 1, hidden: [4] }), dim, 2, new Rng('fresh'));
    randomise(model.network, new Rng('fresh-weights'));
    model.weightsChanged();
    const x = features(9, dim, new Rng('fresh-x'));
    const before = model.predict(x, 9);
    model.setOutputBias(new Float32Array([3, -3]));
    const after = model.predict(x, 9);
    expect(after).not.toEqual(before);
    expectClose(after, tfjsForward(model.network, x, 9, dim, 0)[0]);
    model.dispose();
  });

  it('serves batches larger than one chunk and of one row', () => {
    const dim = 4;
    const model = new RankerModel(config({ model: 'mmoe', cross_layers: 1, hidden: [3], experts: 2 }), dim, 2, new Rng('chunks'));
    randomise(model.network, new Rng('chunks-weights'));
    model.weightsChanged();
    const rows = 20_000;
    const x = features(rows, dim, new Rng('chunks-x'));
    const all = model.predict(x, rows);
    expectClose(all, tfjsForward(model.network, x, rows, dim, 0)[0]);
    expectClose(model.predict(x.subarray(19_999 * dim), 1), all.subarray(19_999 * 2));
    model.dispose();
  });
});

describe('OnnxGraph', () => {
  it('refuses a constant whose values do not fill its shape', () => {
    expect(() => new OnnxGraph().floats(new Float32Array(5), [2, 3])).toThrow(new RangeError('onnx: constant of shape [2, 3] needs 6 values, got 5'));
  });

  it('declares fixed sizes, which ONNX Runtime holds the feeds to, beside the free batch dimension', () => {
    const graph = new OnnxGraph();
    const x = graph.input('x', ['batch', 3]);
    const y = graph.node('Relu', [x]);
    graph.output(y, ['batch', 3]);
    const session = OnnxSession.open(graph.serialise('relu'), x, [y]);
    expect(session).not.toBeNull();
    expect(Array.from(session?.run(Float32Array.of(-1, 2, -3, 4, -5, 6), 2, 3)[0] ?? [])).toEqual([0, 2, 0, 4, 0, 6]);
    expect(() => session?.run(Float32Array.of(1, 2, 3, 4), 1, 4)).toThrow(/dimension/i);
    session?.dispose();
  });
});

describe('ProtoWriter', () => {
  it('writes varints least significant group first, exactly above 2^31', () => {
    const bytes = (value: number) => Array.from(new ProtoWriter().int(1, value).finish().subarray(1));
    expect(bytes(0)).toEqual([0]);
    expect(bytes(127)).toEqual([127]);
    expect(bytes(128)).toEqual([0x80, 0x01]);
    expect(bytes(300)).toEqual([0xac, 0x02]);
    expect(bytes(2 ** 35)).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(() => new ProtoWriter().int(1, -1)).toThrow(new RangeError('protobuf: varint fields take whole numbers of 0 or more, got -1'));
  });

  it('keys a field by number and wire type, and prefixes bytes with their length', () => {
    expect(Array.from(new ProtoWriter().int(20, 2).finish())).toEqual([0xa0, 0x01, 0x02]);
    expect(Array.from(new ProtoWriter().string(2, 'ab').finish())).toEqual([0x12, 0x02, 0x61, 0x62]);
  });
});
