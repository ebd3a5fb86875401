/**
 * ONNX Runtime's CPU build (the `onnxruntime-node` package) for batched inference: a serving
 * forward pass that tfjs's wasm backend runs in ~2.6 ms takes ~0.3 ms here (bench/serving.ts),
 * since ONNX Runtime's matrix kernels use the CPU's full vector width and it spends no time per op
 * in JavaScript. Training stays on tfjs.
 *
 * The package's public `InferenceSession.run` is asynchronous only because it defers the native
 * call with setImmediate; the loop serves synchronously, so this module calls the native binding
 * directly (loadModel and run are synchronous there). One intra-op thread: the same input gives
 * the same output, and a run's second core stays free for another run.
 *
 * Set RECLOOP_INFERENCE=tfjs to serve with tfjs even where ONNX Runtime loads (for comparisons).
 */
import { createRequire } from 'node:module';
import { checkpointClass } from '../../checkpoint/codecs.js';

interface NativeTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: Record<string, unknown>): void;
  run(feeds: Record<string, NativeTensor>, fetches: Record<string, null>, options: Record<string, unknown>): Record<string, NativeTensor>;
  dispose(): void;
}

interface Runtime {
  readonly Session: new () => NativeSession;
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => NativeTensor;
}

const SESSION_OPTIONS = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };

let runtime: Runtime | null | undefined;

/** The runtime, or null where it is not installed, cannot load here, or RECLOOP_INFERENCE=tfjs (read whenever a session opens). */
function loadRuntime(): Runtime | null {
  if (process.env.RECLOOP_INFERENCE === 'tfjs') return null;
  if (runtime !== undefined) return runtime;
  runtime = null;
  try {
    const require = createRequire(import.meta.url);
    const { binding, initOrt } = require('onnxruntime-node/dist/binding.js') as {
      binding: { InferenceSession: new () => NativeSession };
      initOrt: () => void;
    };
    const { Tensor } = require('onnxruntime-common') as { Tensor: Runtime['Tensor'] };
    initOrt();
    runtime = { Session: binding.InferenceSession, Tensor };
  } catch {
    // Not installed, or no binary for this platform: serving falls back to tfjs.
  }
  return runtime;
}

/** 'onnxruntime' when serving graphs run on ONNX Runtime, else 'tfjs' (recorded in run.json). */
export function inferenceBackend(): 'onnxruntime' | 'tfjs' {
  return loadRuntime() ? 'onnxruntime' : 'tfjs';
}

/** A loaded model with one float input; run() is synchronous. */
export class OnnxSession {
  private readonly session: NativeSession;

  private constructor(
    private readonly runtime: Runtime,
    /** Kept for a checkpoint, which opens the session again from it. */
    private readonly model: Uint8Array,
    private readonly input: string,
    private readonly outputs: readonly string[],
  ) {
    this.session = new runtime.Session();
    this.session.loadModel(model.buffer, model.byteOffset, model.byteLength, SESSION_OPTIONS);
  }

  static {
    interface Saved {
      readonly model: Uint8Array;
      readonly input: string;
      readonly outputs: readonly string[];
    }
    checkpointClass(OnnxSession, {
      save: ({ model, input, outputs }): Saved => ({ model, input, outputs }),
      restore: (state) => {
        const { model, input, outputs } = state as Saved;
        const session = OnnxSession.open(model, input, outputs);
        if (!session) throw new Error('checkpoint: the run served its models on ONNX Runtime, which does not load here');
        return session;
      },
    });
  }

  /** The session for a serialised model, or null where ONNX Runtime is unavailable. */
  static open(model: Uint8Array, input: string, outputs: readonly string[]): OnnxSession | null {
    const runtime = loadRuntime();
    return runtime ? new OnnxSession(runtime, model, input, outputs) : null;
  }

  /** The outputs for `rows` rows of `width` floats (row-major), in the order the outputs were named. */
  run(x: Float32Array, rows: number, width: number): Float32Array[] {
    return this.runInputs({ [this.input]: { data: x.subarray(0, rows * width), dims: [rows, width] } });
  }

  /** The outputs for named inputs (the session's one input, or the graph's inputs by name), in the order the outputs were named. */
  runInputs(inputs: Readonly<Record<string, { readonly data: Float32Array; readonly dims: readonly number[] }>>): Float32Array[] {
    const feeds: Record<string, NativeTensor> = {};
    for (const [name, { data, dims }] of Object.entries(inputs)) feeds[name] = new this.runtime.Tensor('float32', data, dims);
    const fetches: Record<string, null> = {};
    for (const name of this.outputs) fetches[name] = null;
    const results = this.session.run(feeds, fetches, {});
    return this.outputs.map((name) => results[name].data);
  }

  dispose(): void {
    this.session.dispose();
  }
}
