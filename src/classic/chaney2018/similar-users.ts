/**
 * Who is like whom, by true preference (cosine similarity of θ): each user's most similar other
 * user, whom the homogenization measure pairs them with, and the social network the social
 * recommender reads, which links users of similar taste.
 */
import type { ChaneyWorld } from './world.js';

/** users × users cosine similarities of the preference vectors (the diagonal is 1). */
export function preferenceSimilarity(world: ChaneyWorld): Float64Array {
  const { users, attributes: k, preferences } = world;
  const norms = new Float64Array(users);
  for (let u = 0; u < users; u++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += preferences[u * k + j] ** 2;
    norms[u] = Math.sqrt(s);
  }
  const similarity = new Float64Array(users * users);
  for (let u = 0; u < users; u++) {
    for (let v = u; v < users; v++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += preferences[u * k + j] * preferences[v * k + j];
      const c = s / (norms[u] * norms[v]);
      similarity[u * users + v] = c;
      similarity[v * users + u] = c;
    }
  }
  return similarity;
}

/** The `count` most similar other users of `user`, most similar first (ties to the lower index). */
export function nearestUsers(similarity: Float64Array, users: number, user: number, count: number): number[] {
  const others: number[] = [];
  for (let v = 0; v < users; v++) if (v !== user) others.push(v);
  others.sort((a, b) => similarity[user * users + b] - similarity[user * users + a] || a - b);
  return others.slice(0, count);
}

/** For each user, their most similar other user: the pair whose consumption the Jaccard index compares. */
export function mostSimilarPartners(world: ChaneyWorld): Int32Array {
  const similarity = preferenceSimilarity(world);
  const partners = new Int32Array(world.users);
  for (let u = 0; u < world.users; u++) partners[u] = nearestUsers(similarity, world.users, u, 1)[0];
  return partners;
}

/** Each user linked to their `friends` most similar users, links made mutual: lists of friends per user, ascending. */
export function socialNetwork(world: ChaneyWorld, friends: number): readonly Int32Array[] {
  const similarity = preferenceSimilarity(world);
  const links: Set<number>[] = Array.from({ length: world.users }, () => new Set<number>());
  const perUser = Math.min(friends, world.users - 1);
  for (let u = 0; u < world.users; u++) {
    for (const v of nearestUsers(similarity, world.users, u, perUser)) {
      links[u].add(v);
      links[v].add(u);
    }
  }
  return links.map((set) => Int32Array.from([...set].sort((a, b) => a - b)));
}
