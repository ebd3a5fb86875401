/**
 * The typed training pieces' own checks and settings, which the comparisons with tfjs in
 * ranker-training.test.ts never reach: Adam's refusals and its beta and epsilon options (worked
 * out by hand), and the networks' refusal of a wrong set of weights or a backward pass before a
 * forward one, on both of DCN-V2's passes; its ONNX Runtime pass opens where that engine runs and
 * nowhere else. No tfjs: each check is a few arithmetic steps.
 */
import { describe, expect, it } from 'vitest';
import { Adam } from '../src/ml/adam.js';
import { DcnV2OnnxTrainable } from '../src/recommender/ranking/dcn-onnx-training.js';
import { DcnV2Trainable } from '../src/recommender/ranking/dcn-training.js';
import { MmoeTrainable } from '../src/recommender/ranking/mmoe-training.js';

const f32 = (values: number[]): Float32Array => Float32Array.from(values);

describe('Adam', () => {
  it('takes the steps of its beta and epsilon options', () => {
    // β1 = 0.5, β2 = 0.75, ε = 0.01, lr = 0.1 on one value, gradients 0.2 then −0.3:
    // m = 0.1, v = 0.01, p = 1 − 0.1·0.2/(0.2 + 0.01); then m = −0.1, v = 0.03,
    // p += 0.1·(0.1/0.75)/(√(0.03/0.4375) + 0.01). The defaults give 0.9 and 0.92477.
    const adam = new Adam(0.1, { beta1: 0.5, beta2: 0.75, epsilon: 0.01 });
    const p = f32([1]);
    adam.step([p], [f32([0.2])]);
    expect(p[0]).toBeCloseTo(0.9047619, 6);
    adam.step([p], [f32([-0.3])]);
    expect(p[0]).toBeCloseTo(0.9538065, 6);
    expect(adam.iterations).toBe(2);
  });

  it('refuses gradients that do not match the parameters, and a parameter that changed size', () => {
    const adam = new Adam(0.1);
    expect(() => adam.step([f32([1, 2])], [])).toThrow(new RangeError('adam: 1 parameters, 0 gradients'));
    expect(() => adam.step([f32([1, 2])], [f32([1])])).toThrow(new RangeError('adam: parameter 0 has 2 values, its gradient 1'));
    adam.step([f32([1, 2])], [f32([1, 1])]);
    expect(() => adam.step([f32([1, 2, 3])], [f32([1, 1, 1])])).toThrow(new RangeError('adam: parameter 0 changed size (2 → 3)'));
  });
});

describe('typed training networks', () => {
  it('refuse a wrong number of weight arrays and a backward pass before a forward one', () => {
    // DCN-V2 with one cross layer and no deep tower: the first W and b and the head W.
    const dcnShape = { dim: 2, crossLayers: 1, crossRank: null, deepSizes: [2], heads: 1, positions: 2 };
    expect(() => new DcnV2Trainable(dcnShape, [f32([0])])).toThrow(new RangeError('dcn_v2: 1 weight arrays for 3'));
    const dcn = new DcnV2Trainable(dcnShape, [new Float32Array(4), new Float32Array(2), new Float32Array(4)]);
    expect(() => dcn.backward(new Float32Array(1))).toThrow(new Error('dcn_v2: backward before forward'));
    // MMoE with one cross layer and one expert layer: 2 + 2 + gate W, gate b, tower W, position W.
    const mmoeShape = { dim: 2, crossLayers: 1, crossRank: null, sizes: [2, 3], experts: 2, heads: 1, positions: 2 };
    expect(() => new MmoeTrainable(mmoeShape, [])).toThrow(new RangeError('mmoe: 0 weight arrays for 8'));
    const mmoe = new MmoeTrainable(mmoeShape, Array.from({ length: 8 }, () => new Float32Array(12)));
    expect(() => mmoe.backward(new Float32Array(1))).toThrow(new Error('mmoe: backward before forward'));
  });

  it('DCN-V2 on ONNX Runtime: the same refusals, and the pass opens on that engine only', () => {
    const shape = { dim: 2, crossLayers: 1, crossRank: null, deepSizes: [2], heads: 1, positions: 2 };
    const weights = () => [new Float32Array(4), new Float32Array(2), new Float32Array(4)];
    expect(() => DcnV2OnnxTrainable.open(shape, [f32([0])])).toThrow(new RangeError('dcn_v2: 1 weight arrays for 3'));
    const onnx = DcnV2OnnxTrainable.open(shape, weights());
    // This machine has ONNX Runtime (onnx-serving.test.ts checks it): the pass must take it.
    expect(onnx).toBeInstanceOf(DcnV2OnnxTrainable);
    expect(() => onnx?.backward(new Float32Array(1))).toThrow(new Error('dcn_v2: backward before forward'));
    const saved = process.env.RECLOOP_INFERENCE;
    process.env.RECLOOP_INFERENCE = 'tfjs';
    try {
      expect(DcnV2OnnxTrainable.open(shape, weights())).toBeNull();
    } finally {
      if (saved === undefined) delete process.env.RECLOOP_INFERENCE;
      else process.env.RECLOOP_INFERENCE = saved;
    }
  });
});
