import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { backendName, initBackend } from '../src/ml/backend.js';

describe('initBackend', () => {
  it('picks the best backend present, once, and says which', async () => {
    const first = await initBackend();
    expect(['tensorflow', 'wasm', 'cpu']).toContain(first);
    expect(await initBackend()).toBe(first);
    expect(backendName()).toBe(first);
    expect(tf.getBackend()).toBe(first);
    // tfjs-node is not installed on this machine, so the wasm backend must have been found.
    let nativeInstalled = true;
    try {
      await import('@tensorflow/tfjs-node' as string);
    } catch {
      nativeInstalled = false;
    }
    if (!nativeInstalled) expect(first).toBe('wasm');
    const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    expect(product).toBe(11);
  });
});
