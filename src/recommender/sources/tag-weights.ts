/**
 * Public items list their topic tags heaviest first but carry no weights, so every component
 * that turns tags into a vector (the content source's profile, the re-ranker's similarity)
 * uses the same positional weights: the j-th tag counts 1/(j+1).
 */
export function tagWeight(position: number): number {
  return 1 / (position + 1);
}

/** Euclidean norm of the positional tag vector of an item with `count` distinct tags. */
export function tagVectorNorm(count: number): number {
  let sum = 0;
  for (let j = 0; j < count; j++) sum += tagWeight(j) ** 2;
  return Math.sqrt(sum);
}

/** tagVectorNorm(count), computed once per count: hot loops ask for it per candidate. */
const NORMS: number[] = [];
export function cachedTagVectorNorm(count: number): number {
  let norm = NORMS[count];
  if (norm === undefined) NORMS[count] = norm = tagVectorNorm(count);
  return norm;
}
