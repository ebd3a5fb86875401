/**
 * MMoE's training pass in typed arrays (trainable.ts), the same network as mmoe.ts over copies of
 * its weights: the cross-network bottom, the experts (the first layer one product for all of
 * them, later layers one product per expert), the heads' softmax gates, every expert through
 * every linear tower and the gate-weighted sum, plus each row's position bias (read by index
 * instead of a one-hot product).
 */
import { matMul, matMulTransposedB } from '../../ml/typed-matmul.js';
import { copiesOf, type TrainableNetwork } from './trainable.js';
import { affine, columnSums, crossBackward, crossForward, type CrossPass, inputGradient, sliceColumns, throughRelu, weightGradient } from './typed-layers.js';

export interface MmoeShape {
  readonly dim: number;
  readonly crossLayers: number;
  /** null: full rank. */
  readonly crossRank: number | null;
  /** [dim, hidden…]: each expert's layer sizes. */
  readonly sizes: readonly number[];
  readonly experts: number;
  readonly heads: number;
  readonly positions: number;
}

interface MmoePass {
  readonly rows: number;
  readonly positions: Int32Array;
  readonly cross: CrossPass;
  /** The first expert layer's ReLU output, rows × (experts · hidden[0]). */
  readonly first: Float32Array;
  /** Later layers' ReLU outputs, by layer (from 1) then expert, each rows × width. */
  readonly layers: Float32Array[][];
  /** Every expert's last layer, (rows · experts) × out, row r's expert e at row r·E + e. */
  readonly experts: Float32Array;
  /** Softmax gates, rows × heads × experts. */
  readonly gates: Float32Array;
  /** Every expert through every tower, (rows · experts) × heads. */
  readonly towered: Float32Array;
}

export class MmoeTrainable implements TrainableNetwork {
  readonly parameters: Float32Array[];
  readonly gradients: Float32Array[];
  private pass: MmoePass | null = null;

  /** `values` in the order of MmoeNetwork.variables. */
  constructor(
    private readonly shape: MmoeShape,
    values: readonly Float32Array[],
  ) {
    const ups = shape.crossRank === null ? 0 : shape.crossLayers;
    const expected = 2 * shape.crossLayers + 2 * ups + 2 * (shape.sizes.length - 1) + 4;
    if (values.length !== expected) throw new RangeError(`mmoe: ${values.length} weight arrays for ${expected}`);
    ({ parameters: this.parameters, gradients: this.gradients } = copiesOf(values));
  }

  /** [cross Ws, cross bs, up Vs, up bs, expert Ws, expert bs, gate W, gate b, tower W, position W] of `arrays`. */
  private parts(arrays: readonly Float32Array[]) {
    const { crossLayers: cross, crossRank } = this.shape;
    const ups = crossRank === null ? 0 : cross;
    const layers = this.shape.sizes.length - 1;
    let k = 0;
    const crossWeights = arrays.slice(k, (k += cross));
    const crossBiases = arrays.slice(k, (k += cross));
    const upWeights = arrays.slice(k, (k += ups));
    const upBiases = arrays.slice(k, (k += ups));
    const up = crossRank === null ? null : { rank: crossRank, weights: upWeights, biases: upBiases };
    const expertWeights = arrays.slice(k, (k += layers));
    const expertBiases = arrays.slice(k, (k += layers));
    return { crossWeights, crossBiases, up, expertWeights, expertBiases, gate: arrays[k], gateBias: arrays[k + 1], tower: arrays[k + 2], position: arrays[k + 3] };
  }

  /** Columns of a cross layer's first product: dim, or the rank. */
  private get crossWidth(): number {
    return this.shape.crossRank ?? this.shape.dim;
  }

  forward(x0: Float32Array, positions: Int32Array, rows: number): Float32Array {
    const { dim, sizes, experts: E, heads: H } = this.shape;
    const p = this.parts(this.parameters);
    const out = sizes[sizes.length - 1];
    const w0 = affine(x0, rows, dim, p.crossWeights[0], this.crossWidth, p.crossBiases[0], false);
    const cross = crossForward(x0, rows, dim, w0, p.crossWeights.slice(1), p.crossBiases.slice(1), p.up);
    const bottom = cross.xs[cross.xs.length - 1];
    const first = affine(bottom, rows, dim, p.expertWeights[0], E * sizes[1], p.expertBiases[0], true);
    const layers: Float32Array[][] = [];
    let experts = first;
    if (sizes.length > 2) {
      let h = perExpert(first, rows, E, sizes[1]);
      layers.push(h);
      for (let l = 1; l + 1 < sizes.length; l++) {
        const fanIn = sizes[l];
        const fanOut = sizes[l + 1];
        const w = p.expertWeights[l];
        const b = p.expertBiases[l];
        h = h.map((input, e) => affine(input, rows, fanIn, w.subarray(e * fanIn * fanOut, (e + 1) * fanIn * fanOut), fanOut, b.subarray(e * fanOut, (e + 1) * fanOut), true));
        layers.push(h);
      }
      experts = interleave(h, rows, E, out);
    }
    const gates = affine(bottom, rows, dim, p.gate, H * E, p.gateBias, false);
    softmaxGroups(gates, E);
    const towered = matMulTransposedB(experts, rows * E, out, p.tower, H);
    const logits = new Float32Array(rows * H);
    for (let r = 0; r < rows; r++) {
      const bias = positions[r] * H;
      for (let h = 0; h < H; h++) {
        let z = 0;
        for (let e = 0; e < E; e++) z += gates[(r * H + h) * E + e] * towered[(r * E + e) * H + h];
        logits[r * H + h] = z + p.position[bias + h];
      }
    }
    this.pass = { rows, positions, cross, first, layers, experts, gates, towered };
    return logits;
  }

  backward(dLogits: Float32Array): void {
    const pass = this.pass;
    if (!pass) throw new Error('mmoe: backward before forward');
    const { dim, sizes, experts: E, heads: H } = this.shape;
    const { rows, gates, towered } = pass;
    const out = sizes[sizes.length - 1];
    const p = this.parts(this.parameters);
    const g = this.parts(this.gradients);
    g.position.fill(0);
    const dTowered = new Float32Array(rows * E * H);
    const dGateLogits = new Float32Array(rows * H * E);
    for (let r = 0; r < rows; r++) {
      const bias = pass.positions[r] * H;
      for (let h = 0; h < H; h++) {
        const dz = dLogits[r * H + h];
        g.position[bias + h] += dz;
        // Softmax over the experts: d logit_e = g_e · (d g_e − Σ_e' g_e' · d g_e'), with d g_e = dz · towered_e.
        const at = (r * H + h) * E;
        let mean = 0;
        for (let e = 0; e < E; e++) {
          const t = (r * E + e) * H + h;
          dTowered[t] = dz * gates[at + e];
          mean += gates[at + e] * dz * towered[t];
        }
        for (let e = 0; e < E; e++) dGateLogits[at + e] = gates[at + e] * (dz * towered[(r * E + e) * H + h] - mean);
      }
    }
    weightGradient(dTowered, rows * E, H, pass.experts, out, g.tower);
    const dExperts = matMul(dTowered, rows * E, H, p.tower, out);
    let dFirst = dExperts;
    if (sizes.length > 2) {
      let d = perExpert(dExperts, rows, E, out);
      for (let l = sizes.length - 2; l >= 1; l--) {
        const fanIn = sizes[l];
        const fanOut = sizes[l + 1];
        const w = p.expertWeights[l];
        const dw = g.expertWeights[l];
        const db = g.expertBiases[l];
        d = d.map((de, e) => {
          throughRelu(de, pass.layers[l][e]);
          weightGradient(pass.layers[l - 1][e], rows, fanIn, de, fanOut, dw.subarray(e * fanIn * fanOut, (e + 1) * fanIn * fanOut));
          columnSums(de, rows, fanOut, db.subarray(e * fanOut, (e + 1) * fanOut));
          return inputGradient(de, rows, fanOut, w.subarray(e * fanIn * fanOut, (e + 1) * fanIn * fanOut), fanIn);
        });
      }
      dFirst = interleave(d, rows, E, sizes[1]);
    }
    throughRelu(dFirst, pass.first);
    const bottom = pass.cross.xs[pass.cross.xs.length - 1];
    weightGradient(bottom, rows, dim, dFirst, E * sizes[1], g.expertWeights[0]);
    columnSums(dFirst, rows, E * sizes[1], g.expertBiases[0]);
    weightGradient(bottom, rows, dim, dGateLogits, H * E, g.gate);
    columnSums(dGateLogits, rows, H * E, g.gateBias);
    const dBottom = inputGradient(dFirst, rows, E * sizes[1], p.expertWeights[0], dim);
    const fromGates = inputGradient(dGateLogits, rows, H * E, p.gate, dim);
    for (let k = 0; k < dBottom.length; k++) dBottom[k] += fromGates[k];
    const dw0 = crossBackward(pass.cross, rows, dim, dBottom, p.crossWeights.slice(1), g.crossWeights.slice(1), g.crossBiases.slice(1), p.up, g.up);
    const x0 = pass.cross.xs[0];
    weightGradient(x0, rows, dim, dw0, this.crossWidth, g.crossWeights[0]);
    columnSums(dw0, rows, this.crossWidth, g.crossBiases[0]);
  }
}

/** rows × (E · width), each row's experts side by side, → one rows × width array per expert. */
function perExpert(values: Float32Array, rows: number, E: number, width: number): Float32Array[] {
  return Array.from({ length: E }, (_, e) => sliceColumns(values, rows, E * width, e * width, width));
}

/** The inverse of perExpert. */
function interleave(perExpertValues: readonly Float32Array[], rows: number, E: number, width: number): Float32Array {
  const out = new Float32Array(rows * E * width);
  perExpertValues.forEach((own, e) => {
    for (let r = 0; r < rows; r++) {
      const to = (r * E + e) * width;
      for (let c = 0; c < width; c++) out[to + c] = own[r * width + c];
    }
  });
  return out;
}

/** Softmax over each consecutive group of `size` values, in place. */
function softmaxGroups(values: Float32Array, size: number): void {
  for (let start = 0; start < values.length; start += size) {
    let max = -Infinity;
    for (let e = 0; e < size; e++) max = Math.max(max, values[start + e]);
    let sum = 0;
    for (let e = 0; e < size; e++) sum += Math.exp(values[start + e] - max);
    for (let e = 0; e < size; e++) values[start + e] = Math.exp(values[start + e] - max) / sum;
  }
}
