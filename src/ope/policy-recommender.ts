/**
 * Serves an OPE policy in the simulator: slates drawn from the policy, each slot logged with
 * the policy's exact probability of that item there. Popularity policies are refitted at every
 * retrain (as a logging policy) unless frozen (as an evaluated target).
 */
import type { Rng } from '../rng/index.js';
import type { Recommender, RecRequest, Slate } from '../recommender/types.js';
import type { TrainingLog } from '../training/training-log.js';
import type { PublicCatalog } from '../world/public.js';
import { slotProbability } from './slot.js';
import type { OpeContext, TargetPolicy } from './types.js';

export function contextOf(request: RecRequest, catalogSize: number, slateSize: number): OpeContext {
  return { slateId: request.slateId, userId: request.userId, time: request.time, catalogSize, slateSize: Math.min(slateSize, catalogSize) };
}

/** One slate from `policy` for `ctx`, with exact per-slot propensities. */
export function servePolicy(policy: TargetPolicy, ctx: OpeContext, rng: Rng): Slate {
  const items = policy.sample(ctx, rng);
  return {
    slateId: ctx.slateId,
    entries: items.map((itemId, p) => ({ itemId, source: policy.name, propensity: slotProbability(policy.slot(ctx, p), itemId, ctx.catalogSize) })),
  };
}

export class PolicyRecommender implements Recommender {
  readonly name: string;

  constructor(
    private policy: TargetPolicy,
    private readonly catalog: PublicCatalog,
    private readonly slateSize: number,
    private readonly rng: Rng,
    /** Called at every retrain to rebuild the policy (e.g. refit popularity); omitted: frozen. */
    private readonly refit?: (log: TrainingLog, now: number) => TargetPolicy,
  ) {
    this.name = policy.name;
  }

  serve(requests: readonly RecRequest[]): Slate[] {
    const n = this.catalog.size;
    return requests.map((request) => servePolicy(this.policy, contextOf(request, n, this.slateSize), this.rng));
  }

  retrain(log: TrainingLog, now: number): void {
    if (this.refit) this.policy = this.refit(log, now);
  }
}
