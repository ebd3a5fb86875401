/**
 * A log of the logged setting simulated in a fitted world: each impression (a slate of
 * `slots` items) draws a user segment by its share, the policy fills the slots from the
 * catalogue, and each shown item is clicked with θ_slot · q_item · m_segment. The policy is
 * uniform random (the random log's) or Bernoulli Thompson sampling from Beta priors, either
 * frozen at them or updated on the simulated clicks every `batch` impressions (OBD's Thompson
 * policy was updated in batches). Rows are counted like an imported log's: one per item at a slot.
 * Every draw comes from a named stream of the seed, so the same seed gives the same log.
 */
import type { RandomStreams, Rng } from '../rng/index.js';
import { largestInOrder } from '../ope/logged/slot-marginals.js';
import type { WorldParameters } from './world-parameters.js';

export type SimulatedPolicy =
  | { readonly kind: 'uniform' }
  | {
      readonly kind: 'bernoulli_thompson';
      readonly alpha: readonly number[];
      readonly beta: readonly number[];
      /** Rows between posterior updates; undefined: frozen at the priors. */
      readonly batch?: number;
    };

export interface SimulatedLog {
  readonly item: Int32Array;
  /** From 0. */
  readonly position: Int32Array;
  readonly clicked: Uint8Array;
  readonly segment: Int32Array;
}

export function simulateLoggedSetting(
  world: WorldParameters,
  shares: readonly number[],
  policy: SimulatedPolicy,
  rows: number,
  streams: RandomStreams,
): SimulatedLog {
  const slots = world.theta.length;
  const items = world.q.length;
  const segmentRng = streams.stream('fit-check/segments');
  const policyRng = streams.stream('fit-check/policy');
  const clickRng = streams.stream('fit-check/clicks');
  const out: SimulatedLog = { item: new Int32Array(rows), position: new Int32Array(rows), clicked: new Uint8Array(rows), segment: new Int32Array(rows) };
  const thompson = policy.kind === 'bernoulli_thompson' ? new ThompsonState(policy.alpha, policy.beta, slots, policy.batch) : undefined;
  let r = 0;
  while (r < rows) {
    const segment = segmentRng.categorical(shares);
    const slate = thompson ? thompson.slate(policyRng) : policyRng.orderedSample(items, slots);
    for (let k = 0; k < slots && r < rows; k++, r++) {
      const item = slate[k];
      const p = Math.min(1, world.theta[k] * world.q[item] * world.m[segment]);
      const click = clickRng.bernoulli(p);
      out.item[r] = item;
      out.position[r] = k;
      out.clicked[r] = click ? 1 : 0;
      out.segment[r] = segment;
      thompson?.observe(item, click);
    }
  }
  return out;
}

/** Thompson sampling's Beta posteriors, with the clicks of the current batch held back until it ends. */
class ThompsonState {
  private readonly alpha: Float64Array;
  private readonly beta: Float64Array;
  private readonly pendingClicks: Float64Array;
  private readonly pendingShown: Float64Array;
  private readonly theta: Float64Array;
  private readonly top: Int32Array;
  private sinceUpdate = 0;

  constructor(
    alpha: readonly number[],
    beta: readonly number[],
    slots: number,
    private readonly batch: number | undefined,
  ) {
    this.alpha = Float64Array.from(alpha);
    this.beta = Float64Array.from(beta);
    this.pendingClicks = new Float64Array(alpha.length);
    this.pendingShown = new Float64Array(alpha.length);
    this.theta = new Float64Array(alpha.length);
    this.top = new Int32Array(slots);
  }

  slate(rng: Rng): Int32Array {
    for (let i = 0; i < this.theta.length; i++) this.theta[i] = rng.beta(this.alpha[i], this.beta[i]);
    largestInOrder(this.theta, this.top);
    return this.top;
  }

  observe(item: number, click: boolean): void {
    if (this.batch === undefined) return;
    this.pendingShown[item]++;
    if (click) this.pendingClicks[item]++;
    if (++this.sinceUpdate < this.batch) return;
    for (let i = 0; i < this.alpha.length; i++) {
      this.alpha[i] += this.pendingClicks[i];
      this.beta[i] += this.pendingShown[i] - this.pendingClicks[i];
    }
    this.pendingClicks.fill(0);
    this.pendingShown.fill(0);
    this.sinceUpdate = 0;
  }
}
