/**
 * Multi-gate mixture of experts (MMoE) over a DCN-V2 cross network: the cross network is the
 * shared bottom; `experts` ReLU MLPs (sizes `hidden`) read its output; each head has its own
 * softmax gate over the experts and a linear tower on its mixture. The position tower (position
 * one-hot → one bias per head) is added to the heads' logits. Heads that disagree (click vs
 * watch on clickbait) can lean on different experts instead of fighting over one representation.
 *
 * All experts run as one matMul per layer (the first as [dim, experts × out], later ones batched
 * over experts), and all gates as one matMul, so the op count per step does not grow with the
 * number of experts or heads.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OnnxGraph } from '../../ml/onnx/graph.js';
import type { Rng } from '../../rng/index.js';
import { positiveCount } from '../../settings/fields.js';
import { constant, CrossNetwork, glorot, rowBlock, zeros } from './layers.js';
import { crossRankOf, rankerModel } from './model-component.js';
import { MmoeTrainable } from './mmoe-training.js';
import type { HeadReadout, RankerNetwork, ServingOutputs } from './model.js';

export class MmoeNetwork implements RankerNetwork {
  private readonly cross: CrossNetwork;
  /** Layer l: [experts, in, out] (the first layer as [dim, experts × out] for one plain matMul). */
  private readonly expertWeights: tf.Variable[] = [];
  private readonly expertBiases: tf.Variable[] = [];
  private readonly gateWeights: tf.Variable;
  private readonly gateBias: tf.Variable;
  private readonly towerWeights: tf.Variable;
  /** [positions, heads]: the position tower, which is also the heads' output bias. */
  private readonly positionWeights: tf.Variable;
  private readonly sizes: readonly number[];

  constructor(
    private readonly dim: number,
    crossLayers: number,
    hidden: readonly number[],
    private readonly experts: number,
    private readonly heads: number,
    positions: number,
    rng: Rng,
    /** null: full rank. */
    crossRank: number | null = null,
  ) {
    if (hidden.length === 0) throw new RangeError('mmoe: experts need at least one hidden layer');
    this.cross = new CrossNetwork(dim, crossLayers, rng, crossRank);
    this.sizes = [dim, ...hidden];
    const E = experts;
    this.expertWeights.push(glorot(rng, [dim, E * hidden[0]], dim, hidden[0]));
    this.expertBiases.push(zeros([E * hidden[0]]));
    for (let l = 1; l < hidden.length; l++) {
      this.expertWeights.push(glorot(rng, [E, hidden[l - 1], hidden[l]], hidden[l - 1], hidden[l]));
      this.expertBiases.push(zeros([E, 1, hidden[l]]));
    }
    this.gateWeights = glorot(rng, [dim, heads * E], dim, E);
    this.gateBias = zeros([heads * E]);
    const out = hidden[hidden.length - 1];
    // Zero towers: every head starts at its base rate (see DcnV2Network).
    this.towerWeights = zeros([heads, out]);
    this.positionWeights = zeros([positions, heads]);
  }

  get variables(): tf.Variable[] {
    return [
      ...this.cross.variables,
      ...this.expertWeights,
      ...this.expertBiases,
      this.gateWeights,
      this.gateBias,
      this.towerWeights,
      this.positionWeights,
    ];
  }

  trainable(): MmoeTrainable {
    const { dim, sizes, experts, heads } = this;
    const shape = { dim, crossLayers: this.cross.layers, crossRank: this.cross.rank, sizes, experts, heads, positions: this.positionWeights.shape[0] };
    return new MmoeTrainable(shape, this.variables.map((v) => v.dataSync() as Float32Array));
  }

  apply(x: tf.Tensor2D, positionOneHot: tf.Tensor2D): tf.Tensor2D {
    const { experts, gates } = this.expertsAndGates(x);
    return this.logits(experts, gates, x.shape[0], positionOneHot);
  }

  /** Head `head` reads its own gated mixture of the experts' last layers. */
  applyWithRepresentation(x: tf.Tensor2D, positionOneHot: tf.Tensor2D, head: number): [tf.Tensor2D, tf.Tensor2D] {
    const E = this.experts;
    const batch = x.shape[0];
    const out = this.sizes[this.sizes.length - 1];
    const { experts, gates } = this.expertsAndGates(x);
    const gate = tf.reshape(tf.slice(gates, [0, head, 0], [batch, 1, E]), [batch, E, 1]);
    const mixture = tf.sum(tf.mul(gate, tf.reshape(experts, [batch, E, out])), 1) as tf.Tensor2D;
    return [this.logits(experts, gates, batch, positionOneHot), mixture];
  }

  get representationDim(): number {
    return this.sizes[this.sizes.length - 1];
  }

  readout(head: number): HeadReadout {
    const out = this.representationDim;
    const positions = this.positionWeights.shape[0];
    const bias = this.positionWeights.dataSync();
    return {
      weights: Float32Array.from(this.towerWeights.dataSync().subarray(head * out, (head + 1) * out)),
      positionBias: Float32Array.from({ length: positions }, (_, p) => bias[p * this.heads + head]),
    };
  }

  /** Every expert's last layer [batch · E, out] and the heads' gates [batch, H, E]. */
  private expertsAndGates(x: tf.Tensor2D): { experts: tf.Tensor2D; gates: tf.Tensor3D } {
    const E = this.experts;
    const H = this.heads;
    const batch = x.shape[0];
    const out = this.sizes[this.sizes.length - 1];
    const bottom = this.cross.apply(x);
    const first = tf.fused.matMul({ a: bottom, b: this.expertWeights[0] as tf.Tensor2D, bias: this.expertBiases[0], activation: 'relu' });
    let experts: tf.Tensor2D; // [batch · E, out]
    if (this.expertWeights.length === 1) {
      experts = tf.reshape(first, [batch * E, out]);
    } else {
      // [batch, E·h] → [E, batch, h]: one batched matMul per layer over the E experts.
      let h: tf.Tensor3D = tf.transpose(tf.reshape(first, [batch, E, this.sizes[1]]), [1, 0, 2]);
      for (let l = 1; l < this.expertWeights.length; l++) {
        h = tf.relu(tf.add(tf.matMul(h, this.expertWeights[l] as tf.Tensor3D), this.expertBiases[l])) as tf.Tensor3D;
      }
      experts = tf.reshape(tf.transpose(h, [1, 0, 2]), [batch * E, out]);
    }
    const gateLogits = tf.fused.matMul({ a: bottom, b: this.gateWeights as tf.Tensor2D, bias: this.gateBias });
    const gates = tf.softmax(tf.reshape(gateLogits, [batch, H, E])) as tf.Tensor3D; // softmax over experts
    return { experts, gates };
  }

  private logits(experts: tf.Tensor2D, gates: tf.Tensor3D, batch: number, positionOneHot: tf.Tensor2D): tf.Tensor2D {
    const E = this.experts;
    const H = this.heads;
    // The towers are linear, so tower(Σ_e g_e·expert_e) = Σ_e g_e·tower(expert_e): every expert
    // through every tower in one 2-D matMul, then the gate-weighted sum (no tiny per-row matMuls).
    const towered = tf.transpose(tf.reshape(tf.matMul(experts, this.towerWeights as tf.Tensor2D, false, true), [batch, E, H]), [0, 2, 1]);
    return tf.add(tf.sum(tf.mul(gates, towered), 2), tf.matMul(positionOneHot, this.positionWeights as tf.Tensor2D)) as tf.Tensor2D;
  }

  servingGraph(graph: OnnxGraph, x: string, head: number | null): ServingOutputs {
    const E = this.experts;
    const H = this.heads;
    const out = this.sizes[this.sizes.length - 1];
    const bottom = this.cross.servingGraph(graph, x);
    let h = graph.node('Relu', [graph.node('Gemm', [bottom, constant(graph, this.expertWeights[0]), constant(graph, this.expertBiases[0])])]);
    if (this.expertWeights.length > 1) {
      // [batch, E·h] → [E, batch, h], one batched MatMul per layer, back to [batch, E, out].
      h = graph.node('Transpose', [graph.node('Reshape', [h, graph.ints([-1, E, this.sizes[1]])])], { perm: [1, 0, 2] });
      for (let l = 1; l < this.expertWeights.length; l++) {
        h = graph.node('Relu', [graph.node('Add', [graph.node('MatMul', [h, constant(graph, this.expertWeights[l])]), constant(graph, this.expertBiases[l])])]);
      }
      h = graph.node('Transpose', [h], { perm: [1, 0, 2] });
    }
    const experts = graph.node('Reshape', [h, graph.ints([-1, out])]); // [batch · E, out]
    const gateLogits = graph.node('Gemm', [bottom, constant(graph, this.gateWeights), constant(graph, this.gateBias)]);
    const gates = graph.node('Softmax', [graph.node('Reshape', [gateLogits, graph.ints([-1, H, E])])], { axis: 2 }); // over experts
    const towered = graph.node('Gemm', [experts, constant(graph, this.towerWeights)], { transB: 1 }); // [batch · E, H]
    const byHead = graph.node('Transpose', [graph.node('Reshape', [towered, graph.ints([-1, E, H])])], { perm: [0, 2, 1] });
    const mixed = graph.node('ReduceSum', [graph.node('Mul', [gates, byHead]), graph.ints([2])], { keepdims: 0 });
    const positionZero = graph.floats(rowBlock(this.positionWeights.dataSync() as Float32Array, H, 0, 1), [H]);
    const logits = graph.node('Add', [mixed, positionZero]);
    if (head === null) return { logits, representation: null };
    const gate = graph.node('Unsqueeze', [graph.node('Gather', [gates, graph.scalar(head)], { axis: 1 }), graph.ints([2])]); // [batch, E, 1]
    const perExpert = graph.node('Reshape', [experts, graph.ints([-1, E, out])]);
    const representation = graph.node('ReduceSum', [graph.node('Mul', [gate, perExpert]), graph.ints([1])], { keepdims: 0 });
    return { logits, representation };
  }

  setOutputBias(bias: Float32Array): void {
    const positions = this.positionWeights.shape[0];
    const values = new Float32Array(positions * this.heads);
    for (let p = 0; p < positions; p++) values.set(bias, p * this.heads);
    tf.tidy(() => this.positionWeights.assign(tf.tensor2d(values, [positions, this.heads])));
  }

  get multiplyAdds(): number {
    const E = this.experts;
    const H = this.heads;
    let experts = 0;
    for (let l = 0; l + 1 < this.sizes.length; l++) experts += E * this.sizes[l] * this.sizes[l + 1];
    const out = this.sizes[this.sizes.length - 1];
    // Cross bottom, experts, gates, every expert through every tower, the gate-weighted sum.
    return this.cross.multiplyAdds + experts + this.dim * H * E + E * out * H + H * E + H;
  }
}

/** `ranker.model: mmoe`. */
export const MMOE_MODEL = rankerModel({
  name: 'mmoe',
  settings: {
    /** Expert MLPs the heads' gates mix. */
    experts: positiveCount.default(4),
  },
  check: (settings) =>
    settings.hidden.length > 0
      ? []
      : [{ paths: [['recommender', 'ranker', 'hidden']], message: 'mmoe: experts need at least one hidden layer; give recommender.ranker.hidden a size (e.g. [64, 32]), or use model: dcn_v2' }],
  build: (settings, shape) =>
    new MmoeNetwork(shape.dim, settings.cross_layers, settings.hidden, settings.experts, shape.heads, shape.positions, shape.rng, crossRankOf(settings)),
});
