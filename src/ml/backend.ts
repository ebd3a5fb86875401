/**
 * Picks the fastest tfjs backend present at run time: tfjs-node (native TensorFlow) when it is
 * installed, else WebAssembly, else the pure-JS cpu backend. Every tfjs user (two-tower,
 * ranker) awaits `initBackend()` before building tensors, and the run reports `backendName()`.
 *
 * The tfjs engine is one per process, so the chosen backend is too: the promise below is the
 * one piece of module state, mirroring the engine's own.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { useFastWasmMatMul } from './wasm-matmul.js';

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
  if ((await tryNative()) && (await trySet('tensorflow'))) return 'tensorflow';
  if ((await tryWasm()) && (await trySet('wasm'))) {
    useFastWasmMatMul();
    return 'wasm';
  }
  if (await trySet('cpu')) return 'cpu';
  throw new Error('no tfjs backend could be initialised (tried tensorflow, wasm, cpu)');
}

/** tfjs-node is an optional dependency; importing it registers the 'tensorflow' backend. */
async function tryNative(): Promise<boolean> {
  // A variable specifier keeps TypeScript from requiring the package at compile time.
  const specifier: string = '@tensorflow/tfjs-node';
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
