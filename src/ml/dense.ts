/**
 * A small multi-layer perceptron (ReLU between layers, linear output) kept in Float32Arrays and
 * differentiated by hand, with its own Adam. Under tfjs's tape the two-tower's towers cost ~90
 * small kernels a step (forward, gradients, Adam) plus the wasm backend's slow transposes; here
 * a layer costs three products (typed-matmul.ts: one forward, fused with its bias and ReLU on
 * ONNX Runtime, two backward) and a few passes in JS over arrays of batch × width. Weights are drawn from a seeded stream, so a run
 * replays exactly.
 */
import type { Rng } from '../rng/index.js';
import { affineGemm, mlpSession } from './onnx/gemm.js';
import type { OnnxSession } from './onnx/runtime.js';
import { matMul, matMulTransposedA, matMulTransposedB } from './typed-matmul.js';

/** x (rows × fanIn) · w (fanIn × fanOut) + bias, through a ReLU when `relu`. A new array. */
export function affine(x: Float32Array, rows: number, fanIn: number, w: Float32Array, fanOut: number, bias: Float32Array, relu: boolean): Float32Array {
  const fused = affineGemm(x, rows, fanIn, w, fanOut, bias, relu);
  if (fused) return fused;
  const z = matMul(x, rows, fanIn, w, fanOut);
  for (let r = 0; r < rows; r++) {
    const base = r * fanOut;
    for (let c = 0; c < fanOut; c++) {
      const value = z[base + c] + bias[c];
      z[base + c] = relu && value < 0 ? 0 : value;
    }
  }
  return z;
}

export interface MlpOptions {
  readonly learningRate: number;
  readonly beta1?: number;
  readonly beta2?: number;
  /** tfjs's float32 default. */
  readonly epsilon?: number;
}

/** What a forward pass keeps for its backward pass. */
export interface MlpPass {
  readonly rows: number;
  /** Each layer's input: the pass's input, then each hidden layer's ReLU output. */
  readonly inputs: readonly Float32Array[];
  /** The last layer's output, rows × outputs. */
  readonly output: Float32Array;
}

export class Mlp {
  private readonly weights: Float32Array[] = [];
  private readonly biases: Float32Array[] = [];
  /** Gradients of the last backward pass, by layer. */
  private readonly weightGrads: Float32Array[] = [];
  private readonly biasGrads: Float32Array[] = [];
  /** Adam's moments, weights then bias per layer (as `parameters`). */
  private readonly firstMoments: Float32Array[] = [];
  private readonly secondMoments: Float32Array[] = [];
  private steps = 0;
  /** predict's session, with the weights baked in: built on first use, dropped when they change (null: no ONNX Runtime). */
  private serving: OnnxSession | null | undefined;
  private readonly learningRate: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  /** `sizes` = [inputs, hidden..., outputs]. */
  constructor(
    readonly name: string,
    readonly sizes: readonly number[],
    private readonly rng: Rng,
    options: MlpOptions,
  ) {
    if (sizes.length < 2) throw new RangeError(`${name}: an MLP needs at least input and output sizes`);
    this.learningRate = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    for (let l = 0; l + 1 < sizes.length; l++) {
      this.weights.push(new Float32Array(sizes[l] * sizes[l + 1]));
      this.biases.push(new Float32Array(sizes[l + 1]));
      this.weightGrads.push(new Float32Array(sizes[l] * sizes[l + 1]));
      this.biasGrads.push(new Float32Array(sizes[l + 1]));
    }
    for (const p of this.parameters) {
      this.firstMoments.push(new Float32Array(p.length));
      this.secondMoments.push(new Float32Array(p.length));
    }
    this.reset();
  }

  /** Weights then bias per layer (views of the live values). */
  get parameters(): Float32Array[] {
    return this.weights.flatMap((w, l) => [w, this.biases[l]]);
  }

  /** The last backward pass's gradients, in the order of `parameters`. */
  get gradients(): Float32Array[] {
    return this.weightGrads.flatMap((g, l) => [g, this.biasGrads[l]]);
  }

  /** Number of trainable values. */
  get parameterCount(): number {
    return this.parameters.reduce((s, p) => s + p.length, 0);
  }

  /** `rows` input rows (row-major, sizes[0] wide) through the network. */
  forward(x: Float32Array, rows: number): MlpPass {
    if (x.length !== rows * this.sizes[0]) throw new RangeError(`${this.name}: ${x.length} inputs for ${rows} rows of ${this.sizes[0]}`);
    const inputs = [x];
    let h = x;
    for (let l = 0; l < this.weights.length; l++) {
      const width = this.sizes[l + 1];
      const hidden = l + 1 < this.weights.length;
      const z = affine(h, rows, this.sizes[l], this.weights[l], width, this.biases[l], hidden);
      if (hidden) inputs.push(z);
      h = z;
    }
    return { rows, inputs, output: h };
  }

  /**
   * The output of `rows` input rows, with nothing kept for a backward pass (serving): on ONNX
   * Runtime one call to a session with the weights baked in, whose output for a row does not
   * depend on the other rows of the call (forward's may differ in the last bit).
   */
  predict(x: Float32Array, rows: number): Float32Array {
    if (x.length !== rows * this.sizes[0]) throw new RangeError(`${this.name}: ${x.length} inputs for ${rows} rows of ${this.sizes[0]}`);
    if (this.serving === undefined) this.serving = mlpSession(this.sizes, this.weights, this.biases);
    return this.serving ? this.serving.run(x, rows, this.sizes[0])[0] : this.forward(x, rows).output;
  }

  /** The weights were set from outside (through `parameters`): predict's session is rebuilt on next use. */
  weightsChanged(): void {
    this.serving?.dispose();
    this.serving = undefined;
  }

  /** Gradients of every parameter from d loss / d output (kept for `step`); returns d loss / d input. */
  backward(pass: MlpPass, dOutput: Float32Array): Float32Array {
    const { rows } = pass;
    let dz = dOutput;
    for (let l = this.weights.length - 1; l >= 0; l--) {
      const fanIn = this.sizes[l];
      const fanOut = this.sizes[l + 1];
      const input = pass.inputs[l];
      this.weightGrads[l].set(matMulTransposedA(input, rows, fanIn, dz, fanOut));
      const db = this.biasGrads[l];
      db.fill(0);
      for (let r = 0; r < rows; r++) for (let c = 0; c < fanOut; c++) db[c] += dz[r * fanOut + c];
      const dInput = matMulTransposedB(dz, rows, fanOut, this.weights[l], fanIn);
      // Through the ReLU that made this layer's input (none before the first layer).
      if (l > 0) for (let k = 0; k < dInput.length; k++) if (!(input[k] > 0)) dInput[k] = 0;
      dz = dInput;
    }
    return dz;
  }

  /** One Adam step with the last backward pass's gradients (bias-corrected as tfjs's Adam). */
  step(): void {
    this.weightsChanged();
    const { beta1: b1, beta2: b2, epsilon, learningRate: lr } = this;
    this.steps++;
    const c1 = 1 - Math.pow(b1, this.steps);
    const c2 = 1 - Math.pow(b2, this.steps);
    const grads = this.gradients;
    this.parameters.forEach((p, k) => {
      const g = grads[k];
      const m = this.firstMoments[k];
      const v = this.secondMoments[k];
      for (let i = 0; i < p.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + epsilon);
      }
    });
  }

  /** Fresh weights from the stream, optimiser state forgotten (a cold start). */
  reset(): void {
    this.weightsChanged();
    for (let l = 0; l < this.weights.length; l++) {
      this.glorot(this.weights[l], this.sizes[l], this.sizes[l + 1]);
      this.biases[l].fill(0);
    }
    this.forgetMoments();
  }

  /** Adam starts afresh from the current weights (after going back to weights that did not diverge). */
  forgetMoments(): void {
    for (const m of this.firstMoments) m.fill(0);
    for (const v of this.secondMoments) v.fill(0);
    this.steps = 0;
  }

  /** Glorot-uniform weights drawn from the seeded stream. */
  private glorot(into: Float32Array, fanIn: number, fanOut: number): void {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    for (let k = 0; k < into.length; k++) into[k] = this.rng.uniform(-limit, limit);
  }
}
