/** The backend's own dense matmul rate, the yardstick model throughput is read against. */
import * as tf from '@tensorflow/tfjs';

/** GFLOP/s of a size×size float32 matmul, best of `reps` runs after a warm-up. */
export function matmulGflops(size = 1024, reps = 5): number {
  const a = tf.randomNormal([size, size]);
  const b = tf.randomNormal([size, size]);
  const once = (): number => {
    const started = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync(); // outside tf.tidy: tidy walks a returned typed array element by element
    c.dispose();
    return (performance.now() - started) / 1000;
  };
  once();
  let best = Infinity;
  for (let r = 0; r < reps; r++) best = Math.min(best, once());
  tf.dispose([a, b]);
  return (2 * size ** 3) / best / 1e9;
}
