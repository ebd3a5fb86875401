/**
 * Any exploration policy the recommender serves, as an off-policy target: over a frozen ranking,
 * the policy receives the ranking's top `pool` items as its ordered candidates (as the
 * recommender hands it its candidates), draws slates with `select`, and states each slot's
 * distribution with `slotMarginals`. Frozen: its state (Thompson's and UCB's counts) is what
 * the log window gave it at the switch, and it learns nothing afterwards, so the policy
 * estimated offline is the one served online in the twin world.
 */
import { Rng } from '../../rng/index.js';
import type { ExplorationPolicy, RecRequest, ScoredCandidate, SlotDistribution } from '../../recommender/types.js';
import type { OpeContext, TargetPolicy } from '../types.js';
import type { Ranking } from './ranking.js';

/** Source logged for the ranking's candidates. */
const SOURCE = 'ope-target';
export interface ServedTargetOptions {
  /** Candidates handed to the policy: the ranking's top `pool` (at least the slate). */
  readonly pool: number;
  /** Seeds the Monte-Carlo marginals, one stream per slate, so they never depend on evaluation order. */
  readonly seed: string;
  /** The catalog size the policy reads (over: catalog); set to each context's before the policy runs. */
  readonly catalog: { size: number };
  /** Default: policy(ranking). */
  readonly name?: string;
}

const EMPTY: SlotDistribution = Object.freeze({ items: [], probs: [], restMass: 0, restExcludes: [] });

export class ServedPolicyTarget implements TargetPolicy {
  readonly name: string;
  /** Slot distributions by context (the whole context: synthetic logs reuse slate ids across users). */
  private readonly marginals = new Map<string, SlotDistribution[]>();

  constructor(
    private readonly policy: ExplorationPolicy,
    private readonly ranking: Ranking,
    private readonly options: ServedTargetOptions,
  ) {
    if (!policy.slotMarginals) throw new Error(`${policy.name} cannot be an off-policy target: it states no slot distributions`);
    this.name = options.name ?? `${policy.name}(${ranking.name})`;
  }

  slot(ctx: OpeContext, position: number): SlotDistribution {
    const key = `${ctx.slateId}/${ctx.userId}/${ctx.time}/${ctx.catalogSize}/${ctx.slateSize}`;
    let slots = this.marginals.get(key);
    if (!slots) {
      const rng = new Rng(`${this.options.seed}/${key}`);
      slots = this.policy.slotMarginals?.(requestOf(ctx), this.candidates(ctx), ctx.slateSize, rng) ?? [];
      this.marginals.set(key, slots);
    }
    return slots[position] ?? EMPTY;
  }

  sample(ctx: OpeContext, rng: Rng): number[] {
    return this.policy.select(requestOf(ctx), this.candidates(ctx), ctx.slateSize, rng).map((e) => e.itemId);
  }

  private candidates(ctx: OpeContext): ScoredCandidate[] {
    this.options.catalog.size = ctx.catalogSize;
    const top = this.ranking.top(ctx, Math.max(this.options.pool, ctx.slateSize));
    return top.map((itemId, rank) => {
      const score = this.ranking.score ? this.ranking.score(ctx, itemId) : -rank;
      return { itemId, sources: [SOURCE], sourceScore: score, score };
    });
  }
}

/**
 * A request as far as a logged OPE context knows it. The policies that can be targets read none
 * of the fields it cannot know (hour, device, place in the user's history): linear Thompson
 * sampling, which reads features of the request, states no slot distributions. A request's draws
 * are keyed by (user, past sessions, request in session), so the logged slate's id stands in for
 * the request in session: each context gets draws of its own.
 */
function requestOf(ctx: OpeContext): RecRequest {
  return { slateId: ctx.slateId, userId: ctx.userId, time: ctx.time, hourOfDay: Math.floor((ctx.time - Math.floor(ctx.time)) * 24), device: 'mobile', requestInSession: ctx.slateId, pastSessions: 0 };
}
