/**
 * Ground truth for OPE, read from the world (never by a recommender): the expected number of
 * clicks a slate gets from a user right now, under the world's own user model, whose click
 * probabilities come from the same choice model that draws the clicks. Used to measure a
 * policy's true value without the noise of one realised click per slate.
 */
import type { World } from '../world/world.js';

/** Expected clicks (0..1) of `items` shown to a user at `time`; the user's state is read, not changed. */
export function expectedClicks(world: World, userId: number, items: readonly number[], time: number): number {
  let sum = 0;
  for (const p of world.userModel.clickProbabilities(userId, items, time)) sum += p;
  return sum;
}

/**
 * The target's value as slot-by-slot estimators see it: for each slot p, the click chance of
 * the target's item at p when it is put into the LOGGED slate at p (swapped with its own logged
 * slot if it was already shown elsewhere), the other logged items staying. Summed over slots.
 * Under the independent item-position assumption this equals expectedClicks of the target's
 * slate; the gap between the two is the bias that assumption costs in this world.
 */
export function slotwiseClicks(world: World, userId: number, logged: readonly number[], target: readonly number[], time: number): number {
  let sum = 0;
  for (let p = 0; p < Math.min(logged.length, target.length); p++) {
    const slate = logged.slice();
    const q = logged.indexOf(target[p]);
    if (q >= 0) slate[q] = logged[p];
    slate[p] = target[p];
    sum += world.userModel.clickProbabilities(userId, slate, time)[p];
  }
  return sum;
}
