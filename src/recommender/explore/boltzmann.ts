/**
 * Boltzmann (softmax) exploration, as Plackett–Luce sampling: slot by slot, an item not yet
 * placed, and that the creator cap allows, is drawn with probability proportional to
 * exp(score / temperature) (plackett-luce.ts).
 * Scores are the ranker's (or the source's) in their own units; an item whose score is not a
 * finite number is drawn only once no finite-scored item is left.
 *
 * Logged propensity = the marginal P(item at slot). Slot 0: exactly the softmax over the pool
 * (a cap of at least 1 cannot bind there). Later slots have no closed form, capped or not: estimated from `mcDraws` further slates drawn from a stream
 * of their own (so the choices never depend on the number of draws), W of which put the item
 * there, as (W + 1) / (mcDraws + 1) — the realised slate counted as one more sample, as for
 * Thompson sampling (sampled-slate.ts).
 */
import type { KeyedStream, Rng } from '../../rng/index.js';
import type { CreatorCap, ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry, SlotDistribution } from '../types.js';
import { positive } from '../../settings/fields.js';
import { explorationPolicy, slateStage } from './component.js';
import { entryOf, slotCount } from './entries.js';
import { SlotTally } from './marginals.js';
import { PlackettLuceSampler, softmaxWeights } from './plackett-luce.js';
import { candidateLimit } from './pool-limit.js';
import { mcDraws, PROPENSITY_STREAM } from './settings.js';
import { requestDraws } from '../request-draws.js';

export class BoltzmannPolicy implements ExplorationPolicy {
  readonly name = 'boltzmann';

  constructor(
    private readonly temperature: number,
    /** Monte-Carlo slates per request for the propensities of slots past the first. */
    private readonly mcDraws: number,
    /** Draws for the propensity estimates only, keyed by request (slate id). */
    private readonly mcStream: KeyedStream,
  ) {
    if (!(temperature > 0)) throw new RangeError(`boltzmann: temperature must be above 0 (got ${temperature})`);
  }

  select(request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng, cap?: CreatorCap): SlateEntry[] {
    const pool = this.pool(ordered, slateSize, cap);
    if (!pool) return [];
    const { slots, weights, total, sampler } = pool;
    const chosen = new Int32Array(slots);
    sampler.draw(rng, chosen);
    const wins = new Float64Array(slots);
    if (slots > 1) {
      const mc = new Int32Array(slots);
      const mcRng = requestDraws(this.mcStream, request);
      for (let m = 0; m < this.mcDraws; m++) {
        sampler.draw(mcRng, mc);
        for (let k = 1; k < slots; k++) if (mc[k] === chosen[k]) wins[k]++;
      }
    }
    return Array.from(chosen, (c, k) => entryOf(ordered[c], k === 0 ? weights[c] / total : (wins[k] + 1) / (this.mcDraws + 1)));
  }

  /** Slot 0: the exact softmax; later slots: the frequencies of `mc_draws` slates drawn with `rng`. */
  slotMarginals(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng, cap?: CreatorCap): SlotDistribution[] {
    const pool = this.pool(ordered, slateSize, cap);
    if (!pool) return [];
    const { slots, weights, total, sampler } = pool;
    const ids = ordered.map((c) => c.itemId);
    const first: SlotDistribution = { items: ids, probs: Array.from(weights, (w) => w / total), restMass: 0, restExcludes: [] };
    if (slots === 1) return [first];
    const tally = new SlotTally(ids, slots);
    const drawn = new Int32Array(slots);
    for (let m = 0; m < this.mcDraws; m++) {
      sampler.draw(rng, drawn);
      tally.add(drawn);
    }
    return [first, ...tally.distributions().slice(1)];
  }

  /** The pool's slots under the cap, softmax weights (and their total) and a slate sampler; undefined when no slot can be filled. */
  private pool(ordered: readonly ScoredCandidate[], slateSize: number, cap: CreatorCap | undefined) {
    const limit = candidateLimit(cap, ordered);
    const slots = slotCount(slateSize, limit ? limit.capacity : ordered.length);
    if (slots === 0) return undefined;
    const weights = softmaxWeights(ordered, new Uint8Array(ordered.length), this.temperature);
    let total = 0;
    for (const w of weights) total += w;
    return { slots, weights, total, sampler: new PlackettLuceSampler(ordered, weights, this.temperature, limit) };
  }
}

export const BOLTZMANN = explorationPolicy({
  name: 'boltzmann',
  settings: {
    /** Softmax temperature over the ordered candidates' scores, in the scores' own units. */
    temperature: positive.default(0.1),
    /** Slots past the first: propensities estimated from this many further slates. */
    mc_draws: mcDraws,
  },
  reorders: "draws weighted by the ranker's scores",
  build: (config, ctx) => slateStage(new BoltzmannPolicy(config.temperature, config.mc_draws, ctx.streams.keyed(PROPENSITY_STREAM))),
});
