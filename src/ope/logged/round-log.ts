/**
 * Logged rounds in the estimators' terms (src/ope/estimators.ts). A real log such as OBD records
 * each impression as a round of its own: one item at one slot. Each round is a one-row slate
 * whose single row sits at "slot 0" of the estimators, while the round's real slot selects the
 * target's distribution and the reward model's slot factor. So IPS, SNIPS, DM and DR read as
 * OBD's per-impression estimators: V = mean over rounds of the target's expected click at the
 * round's slot (SNIPS normalises over all rounds).
 */
import type { Rng } from '../../rng/index.js';
import { FactorisedRewardModel, type RewardModel } from '../reward-model.js';
import { SlateLogBuilder, type SlateLog } from '../slate-log.js';
import type { OpeContext, SlotDistribution, TargetPolicy } from '../types.js';
import type { LoggedRounds } from './read-imported.js';
import type { SlotMarginals } from './slot-marginals.js';

export interface RoundLog {
  /** One slate per round; slateId = the round's index. */
  readonly log: SlateLog;
  /** The same rows with their real slots, for fitting the reward model. */
  readonly fitLog: SlateLog;
  /** Each round's real slot. */
  readonly position: Int32Array;
}

export function roundLog(rounds: LoggedRounds): RoundLog {
  const estimation = new SlateLogBuilder();
  const n = rounds.itemId.length;
  for (let r = 0; r < n; r++) {
    const ctx: OpeContext = { slateId: r, userId: -1, time: 0, catalogSize: rounds.items, slateSize: 1 };
    estimation.add(ctx, [rounds.itemId[r]], [rounds.propensity[r]], [rounds.clicked[r]]);
  }
  const log = estimation.build();
  return { log, fitLog: { ...log, position: rounds.position }, position: rounds.position };
}

/** A context-free target given by its (item, slot) marginals, answering at each round's real slot. */
export function roundTarget(name: string, marginals: SlotMarginals, position: Int32Array): TargetPolicy {
  const bySlot: SlotDistribution[] = Array.from({ length: marginals.slots }, (_, k) => {
    const items: number[] = [];
    const probs: number[] = [];
    for (let i = 0; i < marginals.items; i++) {
      const p = marginals.prob[i * marginals.slots + k];
      if (p > 0) {
        items.push(i);
        probs.push(p);
      }
    }
    return { items, probs, restMass: 0, restExcludes: [] };
  });
  const slotOf = (ctx: OpeContext): SlotDistribution => bySlot[position[ctx.slateId]];
  return {
    name,
    slot: (ctx) => slotOf(ctx),
    sample: (ctx: OpeContext, rng: Rng) => {
      const dist = slotOf(ctx);
      return [dist.items[rng.categorical(dist.probs)]];
    },
  };
}

/** The item × slot model fitted on the rounds' real slots, read at each round's slot. */
export function fitRoundModel(rounds: RoundLog, slateWeights?: Int32Array): RewardModel {
  const base = FactorisedRewardModel.fit(rounds.fitLog, {}, slateWeights);
  const slot = (ctx: OpeContext): number => rounds.position[ctx.slateId];
  return {
    name: base.name,
    predict: (ctx, itemId) => base.predict(ctx, itemId, slot(ctx)),
    catalogSum: (ctx) => base.catalogSum(ctx, slot(ctx)),
  };
}
