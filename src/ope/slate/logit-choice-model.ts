/**
 * A slate-level click model for the direct method: a multinomial logit with a slot factor and a
 * no-click option. The user clicks the item at slot p with probability
 *   β_p · w_i / (1 + Σ_q β_q · w_{i_q})
 * and nothing with 1 / (1 + Σ_q β_q · w_{i_q}): at most one click per slate, so the items of a
 * slate compete, which an item × slot model cannot express. Item weights w are shared by all
 * users and contexts; β_0 = 1 (only w·β is identified).
 *
 * Fitted by maximum a posteriori with Hunter's minorise–maximise iteration for logit models
 * (each update raises the likelihood): alternately
 *   w_i ← (clicks on i + κ·w̄) / (Σ_{slates showing i} β_slot / D_s + κ)
 *   β_p ← (clicks at p) / (Σ_{slates} w_{item at p} / D_s)              (p ≥ 1)
 * with D_s = 1 + Σ_q β_q w_{i_q}, and a Gamma prior pulling each w toward the pooled weight w̄
 * with κ exposures' worth of strength (unseen items get w̄).
 */
import type { SlateLog } from '../slate-log.js';

export interface LogitFitOptions {
  /** Prior strength, in exposures at examination 1, toward the pooled item weight. */
  readonly prior?: number;
  readonly iterations?: number;
  /** A fit to start from (bootstrap refits converge in a few rounds from the full fit). */
  readonly start?: SlateLogitModel;
}

const TOLERANCE = 1e-7;

export class SlateLogitModel {
  readonly name = 'slate multinomial logit × slot';

  constructor(
    /** β per slot, β[0] = 1. */
    readonly slotFactor: Float64Array,
    /** w per item id; items beyond get `unseenWeight`. */
    readonly itemWeight: Float64Array,
    readonly unseenWeight: number,
  ) {}

  /** Expected clicks of `items` shown in this order (the chance of one click). */
  expectedClicks(items: ArrayLike<number>): number {
    let sum = 0;
    for (let p = 0; p < items.length; p++) sum += this.beta(p) * this.weight(items[p]);
    return sum / (1 + sum);
  }

  weight(itemId: number): number {
    return itemId < this.itemWeight.length ? this.itemWeight[itemId] : this.unseenWeight;
  }

  beta(position: number): number {
    return this.slotFactor[Math.min(position, this.slotFactor.length - 1)];
  }

  /** Whether a log's rewards are one choice per slate: each reward 0 or 1, at most one 1 per slate. */
  static fits(log: SlateLog): boolean {
    for (let s = 0; s + 1 < log.start.length; s++) {
      let clicks = 0;
      for (let j = log.start[s]; j < log.start[s + 1]; j++) {
        const r = log.reward[j];
        if (r !== 0 && r !== 1) return false;
        clicks += r;
      }
      if (clicks > 1) return false;
    }
    return true;
  }

  /** `slateWeights[s]` counts slate s that many times (a bootstrap resample); all once by default. */
  static fit(log: SlateLog, options: LogitFitOptions = {}, slateWeights?: Int32Array): SlateLogitModel {
    if (!SlateLogitModel.fits(log)) throw new Error('a logit choice model needs rewards of 0 or 1 with at most one 1 per slate');
    const prior = options.prior ?? 1;
    const iterations = options.iterations ?? 500;
    const { start, itemId, position, reward } = log;
    const S = start.length - 1;
    let items = 0;
    let slots = 1;
    for (let j = 0; j < itemId.length; j++) {
      items = Math.max(items, itemId[j] + 1);
      slots = Math.max(slots, position[j] + 1);
    }
    const itemClicks = new Float64Array(items);
    const slotClicks = new Float64Array(slots);
    const shown = new Uint8Array(items);
    // The slates the fit counts and how often: a bootstrap resample leaves about a third out.
    const counted = new Int32Array(S);
    const times = new Int32Array(S);
    let n = 0;
    let slatesSeen = 0;
    for (let s = 0; s < S; s++) {
      const c = slateWeights ? slateWeights[s] : 1;
      if (c === 0) continue;
      slatesSeen += c;
      counted[n] = s;
      times[n++] = c;
      for (let j = start[s]; j < start[s + 1]; j++) {
        shown[itemId[j]] = 1;
        if (reward[j] === 1) {
          itemClicks[itemId[j]] += c;
          slotClicks[position[j]] += c;
        }
      }
    }
    const w = new Float64Array(items);
    const beta = new Float64Array(slots).fill(1);
    let pooled = 1;
    if (options.start) {
      for (let i = 0; i < items; i++) w[i] = options.start.weight(i);
      for (let p = 0; p < slots; p++) beta[p] = options.start.beta(p);
      pooled = options.start.unseenWeight;
    } else w.fill(1);
    if (slatesSeen === 0) return new SlateLogitModel(beta, w, pooled);

    const slates: CountedSlates = { log, slates: counted.subarray(0, n), times };
    const itemExposure = new Float64Array(items);
    const slotExposure = new Float64Array(slots);
    for (let it = 0; it < iterations; it++) {
      itemExposures(slates, beta, w, itemExposure);
      // The pooled weight: all shown items' clicks over their exposure.
      let clicks = 0;
      let exposure = 0;
      for (let i = 0; i < items; i++) {
        if (!shown[i]) continue;
        clicks += itemClicks[i];
        exposure += itemExposure[i];
      }
      pooled = exposure > 0 ? Math.max(clicks / exposure, 1e-12) : pooled;
      let moved = 0;
      for (let i = 0; i < items; i++) {
        const next = shown[i] ? (itemClicks[i] + prior * pooled) / (itemExposure[i] + prior) : pooled;
        moved = Math.max(moved, Math.abs(next - w[i]) / Math.max(w[i], 1e-12));
        w[i] = next;
      }
      if (slots > 1) {
        slotExposures(slates, beta, w, slotExposure);
        for (let p = 1; p < slots; p++) {
          const next = slotExposure[p] > 0 && slotClicks[p] > 0 ? slotClicks[p] / slotExposure[p] : beta[p];
          moved = Math.max(moved, Math.abs(next - beta[p]) / beta[p]);
          beta[p] = next;
        }
      }
      if (moved < TOLERANCE) break;
    }
    return new SlateLogitModel(beta, w, pooled);
  }
}

/** The slates a fit counts (indices into the log, ascending) and how many times each (a bootstrap's resample counts). */
interface CountedSlates {
  readonly log: SlateLog;
  readonly slates: Int32Array;
  readonly times: Int32Array;
}

// Each update sums the exposures it reads at the current parameters (w and β are updated in
// turn, never from stale D_s), and only those: one division an impression is most of a fit's
// time. Two functions, not one with a switch, so that each loop compiles on its own.

/** out[i] = Σ over counted slates s showing item i of c_s · β_slot / D_s. */
function itemExposures({ log, slates, times }: CountedSlates, beta: Float64Array, w: Float64Array, out: Float64Array): void {
  const { start, itemId, position } = log;
  out.fill(0);
  for (let k = 0; k < slates.length; k++) {
    const s = slates[k];
    const from = start[s];
    const to = start[s + 1];
    const c = times[k];
    let d = 1;
    for (let j = from; j < to; j++) d += beta[position[j]] * w[itemId[j]];
    for (let j = from; j < to; j++) out[itemId[j]] += (c * beta[position[j]]) / d;
  }
}

/** out[p] = Σ over counted slates of c_s · w_{item at p} / D_s. */
function slotExposures({ log, slates, times }: CountedSlates, beta: Float64Array, w: Float64Array, out: Float64Array): void {
  const { start, itemId, position } = log;
  out.fill(0);
  for (let k = 0; k < slates.length; k++) {
    const s = slates[k];
    const from = start[s];
    const to = start[s + 1];
    const c = times[k];
    let d = 1;
    for (let j = from; j < to; j++) d += beta[position[j]] * w[itemId[j]];
    for (let j = from; j < to; j++) out[position[j]] += (c * w[itemId[j]]) / d;
  }
}
