/**
 * The direct method's reward model: r̂(item, slot) = θ_slot · q_item, the examination
 * hypothesis (a slot is looked at with a chance θ_slot that does not depend on the item; once
 * looked at, the item earns q_item). It ignores the user and time, and it is fitted on logged
 * impressions by alternating the two moment equations
 *   Σ_{rows of item i} r = q_i · Σ_{rows of item i} θ_slot      Σ_{rows at slot p} r = θ_p · Σ_{rows at slot p} q_item
 * with q smoothed toward the overall rate by `prior` pseudo-impressions (unseen items get the
 * overall rate). Alternating, instead of reading each slot's mean, matters when the logging
 * policy puts different items at different slots. θ_0 = 1; slots beyond the log reuse the last θ.
 */
import type { SlateLog } from './slate-log.js';
import type { OpeContext } from './types.js';

export interface RewardModel {
  readonly name: string;
  predict(ctx: OpeContext, itemId: number, position: number): number;
  /** Σ predict(ctx, i, position) over the catalog 0..ctx.catalogSize-1. */
  catalogSum(ctx: OpeContext, position: number): number;
}

export interface FactorisedFitOptions {
  /** Pseudo-impressions (at examination 1) pulling each item's rate toward the overall rate. */
  readonly prior?: number;
  /** At most this many alternations; they stop once no slot factor moves by more than 1e-7. */
  readonly iterations?: number;
}

const TOLERANCE = 1e-7;

export class FactorisedRewardModel implements RewardModel {
  readonly name = 'item × slot';
  private readonly prefix: Float64Array;

  constructor(
    /** θ per slot, θ[0] = 1. */
    readonly slotFactor: Float64Array,
    /** q per item id; items beyond get `unseenRate`. */
    readonly itemRate: Float64Array,
    readonly unseenRate: number,
  ) {
    this.prefix = new Float64Array(itemRate.length + 1);
    for (let i = 0; i < itemRate.length; i++) this.prefix[i + 1] = this.prefix[i] + itemRate[i];
  }

  /** `slateWeights[s]` counts slate s that many times (a bootstrap resample); all once by default. */
  static fit(log: SlateLog, options: FactorisedFitOptions = {}, slateWeights?: Int32Array): FactorisedRewardModel {
    const prior = options.prior ?? 5;
    const iterations = options.iterations ?? 100;
    const { itemId, position, reward } = log;
    const rows = itemId.length;
    const rowWeight = new Float64Array(rows).fill(1);
    if (slateWeights) {
      for (let s = 0; s + 1 < log.start.length; s++) rowWeight.fill(slateWeights[s], log.start[s], log.start[s + 1]);
    }
    let items = 0;
    let slots = 1;
    for (let j = 0; j < rows; j++) {
      items = Math.max(items, itemId[j] + 1);
      slots = Math.max(slots, position[j] + 1);
    }
    const theta = new Float64Array(slots).fill(1);
    const q = new Float64Array(items);
    const itemReward = new Float64Array(items);
    const slotReward = new Float64Array(slots);
    let total = 0;
    for (let j = 0; j < rows; j++) {
      const r = rowWeight[j] * reward[j];
      itemReward[itemId[j]] += r;
      slotReward[position[j]] += r;
      total += r;
    }
    const exposure = new Float64Array(items);
    const slotMass = new Float64Array(slots);
    let overall = 0;
    // Items given the slot factors.
    const updateItems = (): void => {
      exposure.fill(0);
      let examined = 0;
      for (let j = 0; j < rows; j++) {
        const e = rowWeight[j] * theta[position[j]];
        exposure[itemId[j]] += e;
        examined += e;
      }
      overall = examined > 0 ? total / examined : 0;
      for (let i = 0; i < items; i++) q[i] = (itemReward[i] + prior * overall) / (exposure[i] + prior);
    };
    const previous = new Float64Array(slots);
    for (let it = 0; it < iterations; it++) {
      previous.set(theta);
      updateItems();
      // Slot factors given the items, normalised so the top slot is 1.
      slotMass.fill(0);
      for (let j = 0; j < rows; j++) slotMass[position[j]] += rowWeight[j] * q[itemId[j]];
      for (let p = 0; p < slots; p++) theta[p] = slotMass[p] > 0 ? slotReward[p] / slotMass[p] : theta[Math.max(0, p - 1)];
      const top = theta[0] > 0 ? theta[0] : 1;
      let change = 0;
      for (let p = 0; p < slots; p++) {
        theta[p] /= top;
        change = Math.max(change, Math.abs(theta[p] - previous[p]));
      }
      if (change < TOLERANCE) break;
    }
    updateItems();
    return new FactorisedRewardModel(theta, q, overall);
  }

  private factor(position: number): number {
    return this.slotFactor[Math.min(position, this.slotFactor.length - 1)];
  }

  predict(_ctx: OpeContext, itemId: number, position: number): number {
    const rate = itemId < this.itemRate.length ? this.itemRate[itemId] : this.unseenRate;
    return this.factor(position) * rate;
  }

  catalogSum(ctx: OpeContext, position: number): number {
    const n = ctx.catalogSize;
    const seen = Math.min(n, this.itemRate.length);
    return this.factor(position) * (this.prefix[seen] + (n - seen) * this.unseenRate);
  }
}
