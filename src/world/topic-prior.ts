/**
 * The Dirichlet parameters topic mixtures are drawn from. With `world.topic_skew` above 0 topics
 * are not equally common: topic k's share of the prior falls as (k + 1)^−skew (Zipf), for users'
 * tastes and creators' catalogues alike, so mainstream tastes are common and niche ones rare
 * (the minority taste groups the slices compare). The total concentration stays
 * `concentration × topics`, so skew moves weight between topics without making mixtures more or
 * less focused.
 */
export function topicPrior(topics: number, concentration: number, skew: number): number[] {
  // Without skew exactly the symmetric prior, so worlds without it draw what they always drew.
  if (skew === 0) return new Array<number>(topics).fill(concentration);
  const weights = Array.from({ length: topics }, (_, k) => (k + 1) ** -skew);
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (concentration * topics * w) / total);
}
