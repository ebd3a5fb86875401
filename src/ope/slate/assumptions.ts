/**
 * What each estimator assumes, and whether the simulated world breaks it. The world's side is
 * read from the scenario's choice model — knowledge the report has and no estimator uses — so a
 * reader can tell an estimator that is wrong here from one that is unlucky.
 */
import type { EstimatorName } from '../estimators.js';
import type { SlateEstimatorName } from './slate-estimators.js';

export type AnyEstimatorName = EstimatorName | SlateEstimatorName;

export interface AssumptionCheck {
  readonly assumption: string;
  /** 'yes': the world breaks it, expect bias; 'partly': in form it holds, in detail not; 'no': it holds. */
  readonly world_breaks_it: 'yes' | 'partly' | 'no' | 'unknown';
  readonly why: string;
}

const ITEM_POSITION = "an impression's reward depends on its item and slot, not on the rest of the slate";

export const ASSUMPTIONS: Record<AnyEstimatorName, string> = {
  ips: ITEM_POSITION,
  snips: ITEM_POSITION,
  dm: `${ITEM_POSITION}, at rate θ_slot · q_item for every user`,
  dr: `${ITEM_POSITION} (or a right item × slot model)`,
  slate_ips: 'the logging policy can serve every slate the target serves; nothing about the reward',
  pseudo_inverse: "a slate's expected reward is a sum of per-(slot, item) terms (linearity)",
  logit_dm: 'users click at most one item, chosen by a logit with a slot factor and item utilities shared by all users',
  logit_dr: 'the logging policy can serve every slate the target serves (or a right logit model)',
};

const COMPETE: Record<string, string> = {
  mnl: 'the world gives one click at most per slate, so the items of a slate compete',
  cascade: 'the world scans top-down and stops at the first click, so a slot is reached only past the items above it',
};

/** The check of `estimator`'s assumption in a world choosing by `choiceModel` (e.g. 'mnl'), logged uniformly or not. */
export function checkAssumption(estimator: AnyEstimatorName, choiceModel: string, uniformLogging: boolean): AssumptionCheck {
  const assumption = ASSUMPTIONS[estimator];
  const compete = COMPETE[choiceModel];
  if (compete === undefined) return { assumption, world_breaks_it: 'unknown', why: `choice model ${choiceModel} is not classified` };
  switch (estimator) {
    case 'slate_ips':
    case 'logit_dr':
      return uniformLogging
        ? { assumption, world_breaks_it: 'no', why: 'uniform logging gives every slate a positive probability' }
        : { assumption, world_breaks_it: 'unknown', why: "the logging policy's whole-slate probabilities are not known" };
    case 'logit_dm':
      return choiceModel === 'mnl'
        ? { assumption, world_breaks_it: 'partly', why: 'the world chooses by such a logit, but each user has utilities of their own, and a mix of logits is not one logit' }
        : { assumption, world_breaks_it: 'yes', why: compete };
    default:
      return { assumption, world_breaks_it: 'yes', why: compete };
  }
}
