/**
 * DCN-V2's training pass in typed arrays (trainable.ts), the same network as dcn.ts over copies
 * of its weights: the first product [dim, width + hidden[0]] shared by the first cross layer and
 * the first deep layer, the rest of the cross network and the deep tower, and the heads' product
 * over the shared representation plus each row's position bias (the head weights' rows below the
 * representation's, read by index instead of a one-hot product).
 */
import { matMul } from '../../ml/typed-matmul.js';
import { copiesOf, type TrainableNetwork } from './trainable.js';
import { affine, columnSums, concatColumns, crossBackward, crossForward, inputGradient, sliceColumns, throughRelu, weightGradient, type CrossPass } from './typed-layers.js';

export interface DcnV2Shape {
  readonly dim: number;
  readonly crossLayers: number;
  /** null: full rank. */
  readonly crossRank: number | null;
  /** [dim, hidden…]. */
  readonly deepSizes: readonly number[];
  readonly heads: number;
  readonly positions: number;
}

interface DcnPass {
  readonly rows: number;
  readonly x0: Float32Array;
  readonly positions: Int32Array;
  readonly cross: CrossPass;
  /** ReLU outputs of the deep layers (empty without a deep tower). */
  readonly deep: Float32Array[];
  /** rows × (dim + last deep width): what the heads read. */
  readonly shared: Float32Array;
}

export class DcnV2Trainable implements TrainableNetwork {
  readonly parameters: Float32Array[];
  readonly gradients: Float32Array[];
  private pass: DcnPass | null = null;

  /** `values` in the order of DcnV2Network.variables. */
  constructor(
    private readonly shape: DcnV2Shape,
    values: readonly Float32Array[],
  ) {
    const deepLayers = Math.max(0, shape.deepSizes.length - 2);
    const upLayers = shape.crossRank === null ? 0 : shape.crossLayers;
    const expected = 2 + 2 * (shape.crossLayers - 1) + 2 * upLayers + 2 * deepLayers + 1;
    if (values.length !== expected) throw new RangeError(`dcn_v2: ${values.length} weight arrays for ${expected}`);
    ({ parameters: this.parameters, gradients: this.gradients } = copiesOf(values));
  }

  /** Columns of a cross layer's first product: dim, or the rank. */
  private get crossWidth(): number {
    return this.shape.crossRank ?? this.shape.dim;
  }

  private get firstDeep(): number {
    return this.shape.deepSizes.length > 1 ? this.shape.deepSizes[1] : 0;
  }

  /** Width of the shared representation. */
  private get sharedWidth(): number {
    const sizes = this.shape.deepSizes;
    return this.shape.dim + (sizes.length > 1 ? sizes[sizes.length - 1] : 0);
  }

  /** [first W, first b, cross Ws, cross bs, up Vs, up bs, deep Ws, deep bs, head W] of `arrays` (parameters or gradients). */
  private parts(arrays: readonly Float32Array[]) {
    const { crossLayers, crossRank, deepSizes } = this.shape;
    const cross = crossLayers - 1;
    const ups = crossRank === null ? 0 : crossLayers;
    const deep = Math.max(0, deepSizes.length - 2);
    let k = 2;
    const crossWeights = arrays.slice(k, (k += cross));
    const crossBiases = arrays.slice(k, (k += cross));
    const upWeights = arrays.slice(k, (k += ups));
    const upBiases = arrays.slice(k, (k += ups));
    const deepWeights = arrays.slice(k, (k += deep));
    const deepBiases = arrays.slice(k, (k += deep));
    const up = crossRank === null ? null : { rank: crossRank, weights: upWeights, biases: upBiases };
    return { first: arrays[0], firstBias: arrays[1], crossWeights, crossBiases, up, deepWeights, deepBiases, head: arrays[k] };
  }

  forward(x0: Float32Array, positions: Int32Array, rows: number): Float32Array {
    const { dim, heads: H, deepSizes } = this.shape;
    const F = this.firstDeep;
    const C = this.crossWidth;
    const p = this.parts(this.parameters);
    const first = affine(x0, rows, dim, p.first, C + F, p.firstBias, false);
    let w0 = first;
    const deep: Float32Array[] = [];
    if (F > 0) {
      // Split the shared product: its first C columns are the cross layer's, the rest the deep layer's (through its ReLU).
      w0 = sliceColumns(first, rows, C + F, 0, C);
      let h = sliceColumns(first, rows, C + F, C, F);
      for (let k = 0; k < h.length; k++) if (!(h[k] > 0)) h[k] = 0;
      deep.push(h);
      for (let l = 0; l < p.deepWeights.length; l++) {
        h = affine(h, rows, deepSizes[l + 1], p.deepWeights[l], deepSizes[l + 2], p.deepBiases[l], true);
        deep.push(h);
      }
    }
    const cross = crossForward(x0, rows, dim, w0, p.crossWeights, p.crossBiases, p.up);
    const crossOut = cross.xs[cross.xs.length - 1];
    const S = this.sharedWidth;
    let shared = crossOut;
    if (deep.length > 0) shared = concatColumns(crossOut, dim, deep[deep.length - 1], S - dim, rows);
    const logits = matMul(shared, rows, S, p.head.subarray(0, S * H), H);
    for (let r = 0; r < rows; r++) {
      const bias = (S + positions[r]) * H;
      for (let h = 0; h < H; h++) logits[r * H + h] += p.head[bias + h];
    }
    this.pass = { rows, x0, positions, cross, deep, shared };
    return logits;
  }

  backward(dLogits: Float32Array): void {
    const pass = this.pass;
    if (!pass) throw new Error('dcn_v2: backward before forward');
    const { dim, heads: H, deepSizes } = this.shape;
    const { rows, x0, shared } = pass;
    const F = this.firstDeep;
    const C = this.crossWidth;
    const S = this.sharedWidth;
    const p = this.parts(this.parameters);
    const g = this.parts(this.gradients);
    // Heads: the representation's rows of the weights by product, each position's row by the rows shown there.
    weightGradient(shared, rows, S, dLogits, H, g.head.subarray(0, S * H));
    g.head.fill(0, S * H);
    for (let r = 0; r < rows; r++) {
      const bias = (S + pass.positions[r]) * H;
      for (let h = 0; h < H; h++) g.head[bias + h] += dLogits[r * H + h];
    }
    const dShared = inputGradient(dLogits, rows, H, p.head.subarray(0, S * H), S);
    let dCross = dShared;
    let dDeepIn: Float32Array | null = null;
    if (F > 0) {
      dCross = sliceColumns(dShared, rows, S, 0, dim);
      let dh = sliceColumns(dShared, rows, S, dim, S - dim);
      for (let l = p.deepWeights.length - 1; l >= 0; l--) {
        const fanIn = deepSizes[l + 1];
        const fanOut = deepSizes[l + 2];
        throughRelu(dh, pass.deep[l + 1]);
        weightGradient(pass.deep[l], rows, fanIn, dh, fanOut, g.deepWeights[l]);
        columnSums(dh, rows, fanOut, g.deepBiases[l]);
        dh = inputGradient(dh, rows, fanOut, p.deepWeights[l], fanIn);
      }
      throughRelu(dh, pass.deep[0]);
      dDeepIn = dh;
    }
    const dw0 = crossBackward(pass.cross, rows, dim, dCross, p.crossWeights, g.crossWeights, g.crossBiases, p.up, g.up);
    let dFirst = dw0;
    if (dDeepIn) dFirst = concatColumns(dw0, C, dDeepIn, F, rows);
    weightGradient(x0, rows, dim, dFirst, C + F, g.first);
    columnSums(dFirst, rows, C + F, g.firstBias);
  }
}
