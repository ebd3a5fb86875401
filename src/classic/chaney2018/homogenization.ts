/**
 * The paper's homogenization measure: the Jaccard index of the sets of items two paired users
 * have consumed (each user paired with their most similar user by true preference), averaged
 * over users. Higher means the pairs have consumed more of the same items.
 */
import type { Interactions } from './interactions.js';

/** Mean over users u of |A_u ∩ A_p(u)| / |A_u ∪ A_p(u)|, A the consumed sets, p the partners. */
export function pairedJaccard(interactions: Interactions, partners: Int32Array): number {
  if (interactions.steps === 0) return 0;
  let total = 0;
  for (let u = 0; u < interactions.users; u++) total += jaccard(interactions, u, partners[u]);
  return total / interactions.users;
}

export function jaccard(interactions: Interactions, a: number, b: number): number {
  const mine = interactions.itemsOf(a);
  const theirs = interactions.itemsOf(b).length;
  let shared = 0;
  for (const item of mine) if (interactions.hasConsumed(b, item)) shared++;
  const union = mine.length + theirs - shared;
  return union === 0 ? 0 : shared / union;
}
