/**
 * Matrix products whose gradients avoid tfjs's transposed-operand matmul paths. On the wasm
 * backend a matMul with transposeA/transposeB runs 10–30× slower than a plain one of the same
 * size (measured: 512×512·512×32 took ~25 ms transposed vs ~1 ms plain), and tfjs's own matMul
 * gradient uses exactly those paths. An explicit transpose first is cheap.
 */
import * as tf from '@tensorflow/tfjs';

type Inputs = [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];

const plain = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as Inputs;
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor2D[];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(sb)), tf.matMul(tf.transpose(sa), g)];
    },
  };
});

/** a·b for 2-D tensors, with a gradient made of untransposed products. */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return plain(a, b) as tf.Tensor2D;
}
