/**
 * Epsilon-greedy with slot-independent exploration (epsilon-slots.ts): each slot explores with
 * probability ε; a slot that does not explore keeps its greedy item (slot p: the p-th best
 * candidate); the exploring slots are then filled in order by uniform draws without replacement
 * from the pool minus the kept items. The pool is the candidate set (`over: candidates`) or the
 * whole catalog (`over: catalog`), where slots past the last candidate always explore and a
 * catalog item no source produced is logged with source `explore`.
 *
 * Every logged propensity is the exact marginal P(item at slot), in closed form (epsilon-slots.ts),
 * except under a creator cap that binds on the pool: then the kept greedy items and the uniform
 * fills skip creators at the cap, and the marginals are Rao–Blackwellised Monte-Carlo estimates
 * from `mcDraws` simulated slates (epsilon-capped.ts).
 */
import type { KeyedStream, Rng } from '../../rng/index.js';
import type { CreatorCap, ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry, SlotDistribution } from '../types.js';
import { positiveCount, probability } from '../../settings/fields.js';
import { z } from 'zod';
import { candidateStage, EpsilonExploreSource } from './candidate-stage.js';
import { explorationPolicy, slateStage } from './component.js';
import { entryOf, EXPLORE_SOURCE, slotCount } from './entries.js';
import { CANDIDATE_STREAM, mcDraws, PROPENSITY_STREAM, stage } from './settings.js';
import { cappedMarginals, sampleCapped } from './epsilon-capped.js';
import { EpsilonSlots } from './epsilon-slots.js';
import { SlotTally } from './marginals.js';
import { candidateLimit, cappedWalk, catalogLimit, type PoolLimit } from './pool-limit.js';
import { requestDraws } from '../request-draws.js';


export interface EpsilonGreedyOptions {
  readonly epsilon: number;
  readonly over: 'candidates' | 'catalog';
  /** Simulated slates per propensity estimate under a binding creator cap. */
  readonly mcDraws: number;
}

/** A slate's draws: the policy's own, and the propensity estimate's, keyed by the request. */
interface SlateDraws {
  readonly rng: Rng;
  mc(): Rng;
}

export class EpsilonGreedyPolicy implements ExplorationPolicy {
  readonly name = 'epsilon_greedy';
  private readonly slots: EpsilonSlots;

  constructor(
    private readonly options: EpsilonGreedyOptions,
    /** Current catalog size (item ids are 0..size-1); used when drawing over the catalog. */
    private readonly catalogSize: () => number,
    /** Draws for the propensity estimates under a cap only, keyed by request (slate id). */
    private readonly mcDraws: KeyedStream,
  ) {
    this.slots = new EpsilonSlots(options.epsilon);
  }

  select(request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng, cap?: CreatorCap): SlateEntry[] {
    const draws = { rng, mc: () => requestDraws(this.mcDraws, request) };
    return this.options.over === 'catalog' ? this.overCatalog(ordered, slateSize, draws, cap) : this.overCandidates(ordered, slateSize, draws, cap);
  }

  /**
   * Exact marginals from the closed form; under a binding cap, the frequencies of `mcDraws`
   * slates simulated from `rng` (the capped marginals have no closed form).
   */
  slotMarginals(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng, cap?: CreatorCap): SlotDistribution[] {
    const overCatalog = this.options.over === 'catalog';
    const n = overCatalog ? this.catalogSize() : ordered.length;
    const L = slotCount(slateSize, n);
    const ids = ordered.map((c) => c.itemId);
    const limit = overCatalog ? catalogLimit(cap, n) : candidateLimit(cap, ordered);
    if (limit) {
      // Pool indices: item ids over the catalog, candidate indices over the candidates.
      const greedy = overCatalog ? cappedWalk(ids, L, limit) : cappedWalk(Array.from(ordered.keys()), slateSize, limit);
      const slots = overCatalog ? L : greedy.length;
      const tally = new SlotTally(overCatalog ? Array.from({ length: n }, (_, i) => i) : ids, slots);
      for (let m = 0; m < this.options.mcDraws; m++) tally.add(sampleCapped(this.options.epsilon, n, slots, greedy, limit, rng).slate);
      return tally.distributions();
    }
    if (!overCatalog) {
      return Array.from({ length: L }, (_, p) => ({ items: ids, probs: ids.map((_, k) => this.slots.probability(n, L, L, p, k < L ? k : -1)), restMass: 0, restExcludes: [] }));
    }
    const greedy = ids.slice(0, Math.min(L, ids.length));
    const G = greedy.length;
    return Array.from({ length: L }, (_, p) => ({
      items: greedy,
      probs: greedy.map((_, q) => this.slots.probability(n, L, G, p, q)),
      restMass: G < n ? this.slots.probability(n, L, G, p, -1) * (n - G) : 0,
      restExcludes: greedy,
    }));
  }

  /** Pool indices are candidate indices; slot p's greedy item is the p-th candidate the cap allows. */
  private overCandidates(ordered: readonly ScoredCandidate[], slateSize: number, draws: SlateDraws, cap: CreatorCap | undefined): SlateEntry[] {
    const n = ordered.length;
    const limit = candidateLimit(cap, ordered);
    if (limit) {
      const greedy = cappedWalk(Array.from(ordered.keys()), slateSize, limit);
      return this.capped(n, greedy.length, greedy, limit, draws).map(([k, propensity]) => entryOf(ordered[k], propensity));
    }
    const L = slotCount(slateSize, n);
    const greedy = Array.from({ length: L }, (_, p) => p);
    return this.slots.sample(n, L, greedy, draws.rng).map((k, p) => entryOf(ordered[k], this.slots.probability(n, L, L, p, k < L ? k : -1)));
  }

  /** Pool indices are item ids; the greedy list is the first min(L, candidates) candidates (that the cap allows). */
  private overCatalog(ordered: readonly ScoredCandidate[], slateSize: number, draws: SlateDraws, cap: CreatorCap | undefined): SlateEntry[] {
    const n = this.catalogSize();
    const L = slotCount(slateSize, n);
    const limit = catalogLimit(cap, n);
    const ids = ordered.map((c) => c.itemId);
    const greedy = limit ? cappedWalk(ids, L, limit) : ids.slice(0, Math.min(L, ordered.length));
    const G = greedy.length;
    const slate = limit
      ? this.capped(n, L, greedy, limit, draws)
      : this.slots.sample(n, L, greedy, draws.rng).map((itemId, p) => [itemId, this.slots.probability(n, L, G, p, greedy.indexOf(itemId))]);
    return slate.map(([itemId, propensity]) => {
      // A candidate keeps the sources that produced it.
      const candidate = ordered.find((c) => c.itemId === itemId);
      return candidate ? entryOf(candidate, propensity) : { itemId, source: EXPLORE_SOURCE, propensity };
    });
  }

  /** A slate under the cap, as [pool index, estimated marginal] per slot (epsilon-capped.ts). */
  private capped(n: number, slots: number, greedy: readonly number[], limit: PoolLimit, draws: SlateDraws): [number, number][] {
    const { epsilon, mcDraws } = this.options;
    const realised = sampleCapped(epsilon, n, slots, greedy, limit, draws.rng);
    const marginals = cappedMarginals(epsilon, n, greedy, realised, limit, mcDraws, draws.mc());
    return realised.slate.map((k, p) => [k, marginals[p]]);
  }
}

export const EPSILON_GREEDY = explorationPolicy({
  name: 'epsilon_greedy',
  settings: {
    epsilon: probability.default(0.1),
    /** Where a slot's uniform draw comes from: the candidate set or the whole catalog (slate stage). */
    over: z.enum(['candidates', 'catalog'], { error: 'expected candidates or catalog' }).default('candidates'),
    stage,
    /** Candidate stage: exploratory slots per request, each filled with probability epsilon by a uniform catalog item. */
    k: positiveCount.default(5),
    /** Under a creator cap that binds (two_stage), the propensities are estimated from this many simulated slates. */
    mc_draws: mcDraws,
  },
  reorders: null,
  build: (config, ctx) =>
    config.stage === 'candidate'
      ? candidateStage(new EpsilonExploreSource(config.k, config.epsilon, ctx.catalogSize, ctx.streams.keyed(CANDIDATE_STREAM)), config.policy)
      : slateStage(new EpsilonGreedyPolicy({ epsilon: config.epsilon, over: config.over, mcDraws: config.mc_draws }, ctx.catalogSize, ctx.streams.keyed(PROPENSITY_STREAM))),
});
