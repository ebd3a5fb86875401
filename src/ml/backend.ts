/**
 * Picks the fastest tfjs backend present at run time: tfjs-node (native TensorFlow) when it is
 * installed, else WebAssembly, else the pure-JS cpu backend. Only tfjs-core and the backend in
 * use are loaded: the models compute their own gradients, so the tfjs bundle (layers, converter,
 * the WebGL backend and the gradient registry, ~0.3 s to load) is left to the tests that compare
 * against tfjs's own gradients. Every tfjs user (two-tower, ranker) awaits `initBackend()` before
 * building tensors, and the run reports `backendName()`.
 *
 * The tfjs engine is one per process, so the chosen backend is too: the promise below is the
 * one piece of module state, mirroring the engine's own.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { useFastWasmMatMul } from './wasm-matmul.js';
import { checkpointClass } from '../checkpoint/codecs.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<BackendName> | undefined;
let chosenName: BackendName | undefined;

/** Initialises the best available backend once; later calls return the same name. */
export function initBackend(): Promise<BackendName> {
  chosen ??= pickBackend().then((name) => (chosenName = name));
  return chosen;
}

/** The backend chosen by `initBackend()`, or undefined before it has resolved. */
export function backendName(): BackendName | undefined {
  return chosenName;
}

async function pickBackend(): Promise<BackendName> {
  // tfjs-node is an optional dependency; importing it registers the 'tensorflow' backend.
  if ((await registers('@tensorflow/tfjs-node')) && (await trySet('tensorflow'))) return 'tensorflow';
  if ((await tryWasm()) && (await trySet('wasm'))) {
    useFastWasmMatMul();
    return 'wasm';
  }
  // The pure-JS backend, registered only when it is needed: tfjs-core alone registers no backend.
  if ((await registers('@tensorflow/tfjs-backend-cpu')) && (await trySet('cpu'))) return 'cpu';
  throw new Error('no tfjs backend could be initialised (tried tensorflow, wasm, cpu)');
}

/** Whether the package `specifier` imports (importing a backend package registers its backend). */
async function registers(specifier: string): Promise<boolean> {
  // A string parameter keeps TypeScript from requiring an optional package at compile time.
  try {
    await import(specifier);
    return true;
  } catch {
    return false;
  }
}

/** Under Node the wasm backend must be told where its .wasm binaries are: the package's dist folder. */
async function tryWasm(): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${dirname(main)}/`);
    return true;
  } catch {
    return false;
  }
}

async function trySet(name: BackendName): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

interface SavedTensor {
  readonly values: Float32Array | Int32Array | Uint8Array;
  readonly shape: number[];
  readonly dtype: tf.DataType;
  readonly variable: boolean;
  readonly trainable: boolean;
}

// A tensor's values live in the backend: a checkpoint copies them out, and puts them back in the
// restored run's variable where it has one of that shape (code may hold it), else in a new one.
checkpointClass(tf.Tensor, {
  save: (tensor): SavedTensor => ({
    values: tensor.dataSync() as Float32Array | Int32Array | Uint8Array,
    shape: tensor.shape.slice(),
    dtype: tensor.dtype,
    variable: tensor instanceof tf.Variable,
    trainable: tensor instanceof tf.Variable && tensor.trainable,
  }),
  restore: (state, twin) => {
    const saved = state as SavedTensor;
    const values = tf.tensor(saved.values, saved.shape, saved.dtype);
    if (!saved.variable) return values;
    if (twin instanceof tf.Variable && tf.util.arraysEqual(twin.shape, saved.shape) && twin.dtype === saved.dtype) {
      twin.assign(values);
      values.dispose();
      return twin;
    }
    return tf.variable(values, saved.trainable);
  },
});
