/**
 * The MLP's tensors: a model built and disposed leaves the backend's tensor count where it was,
 * so retraining from a cold start many times over a long run does not leak memory.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { Mlp } from '../src/ml/dense.js';
import { Rng } from '../src/rng/index.js';

beforeAll(async () => {
  await initBackend();
});

describe('Mlp', () => {
  it('holds only its variables, and dispose frees them all', () => {
    const before = tf.memory().numTensors;
    const mlp = new Mlp('probe', [4, 8, 2], new Rng('dense-test'));
    expect(tf.memory().numTensors - before).toBe(mlp.variables.length);
    mlp.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
