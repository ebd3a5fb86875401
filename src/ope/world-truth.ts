/**
 * Ground truth for OPE, read from the world (never by a recommender): the expected number of
 * clicks a slate gets from a user right now, under the world's own choice model. Used to
 * measure a policy's true value without the noise of one realised click per slate.
 */
import type { WorldConfig } from '../scenario/index.js';
import type { UserState } from '../world/users.js';
import type { World } from '../world/world.js';

/** P(click at each slot) for click utilities u (top first), as MultinomialLogitChoice / CascadeChoice draw them. */
export function clickProbabilities(choice: WorldConfig['choice'], u: ArrayLike<number>): Float64Array {
  const probs = new Float64Array(u.length);
  const { position_bias: bias, no_click_utility: u0 } = choice;
  if (choice.model === 'mnl') {
    let total = Math.exp(u0);
    let examine = 1;
    for (let p = 0; p < u.length; p++) {
      probs[p] = examine * Math.exp(u[p]);
      total += probs[p];
      examine *= bias;
    }
    for (let p = 0; p < u.length; p++) probs[p] /= total;
    return probs;
  }
  // Cascade: reach slot p (continue p times, no earlier click), then click with sigmoid(u_p − u0).
  let reach = 1;
  for (let p = 0; p < u.length; p++) {
    if (p > 0) reach *= bias;
    const click = 1 / (1 + Math.exp(u0 - u[p]));
    probs[p] = reach * click;
    reach *= 1 - click;
  }
  return probs;
}

/** Expected clicks (0..1) of `items` shown to a user at `time`; the user's state is read, not changed. */
export function expectedClicks(world: World, userId: number, items: readonly number[], time: number): number {
  const user = recoveredCopy(world, world.users.stateOf(userId), time);
  const u = items.map((item) => world.utility.clickUtility(user, world.items.truthOf(item)));
  let sum = 0;
  for (const p of clickProbabilities(world.config.choice, u)) sum += p;
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
  const user = recoveredCopy(world, world.users.stateOf(userId), time);
  const utilityOf = (item: number): number => world.utility.clickUtility(user, world.items.truthOf(item));
  const base = logged.map(utilityOf);
  let sum = 0;
  for (let p = 0; p < Math.min(logged.length, target.length); p++) {
    const u = base.slice();
    const q = logged.indexOf(target[p]);
    if (q >= 0) u[q] = base[p];
    u[p] = utilityOf(target[p]);
    sum += clickProbabilities(world.config.choice, u)[p];
  }
  return sum;
}

/** The user as `Users.recover` would leave them at `time`, on a copy of the satiation vector. */
function recoveredCopy(world: World, user: UserState, time: number): UserState {
  const dt = time - user.satiationTime;
  if (dt <= 0) return user;
  const factor = Math.exp(-world.config.users.satiation.recovery_per_day * dt);
  return { ...user, satiation: user.satiation.map((s) => s * factor), satiationTime: time };
}
