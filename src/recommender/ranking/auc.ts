import { ascendingOrder } from '../../core/typed-arrays.js';

/**
 * Area under the ROC curve: the chance a random positive outscores a random negative, ties
 * counting one half. Labels may be soft (the watch head's label is a watch fraction): a row
 * with label y counts as y of a positive and 1 − y of a negative (never paired with itself),
 * which is the ordinary AUC when labels are 0 or 1.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`scores and labels differ in length (${n} vs ${labels.length})`);
  const order = ascendingOrder(scores);
  let negBelow = 0;
  let pairs = 0;
  let totalPos = 0;
  let totalNeg = 0;
  // A soft row's positive and negative parts tie with each other; that self-pair is left out.
  let selfPairs = 0;
  for (let k = 0; k < n; ) {
    // One group of tied scores at a time.
    let end = k;
    let pos = 0;
    let neg = 0;
    while (end < n && scores[order[end]] === scores[order[k]]) {
      const y = labels[order[end]];
      pos += y;
      neg += 1 - y;
      selfPairs += y * (1 - y);
      end++;
    }
    pairs += pos * (negBelow + neg / 2);
    negBelow += neg;
    totalPos += pos;
    totalNeg += neg;
    k = end;
  }
  const denominator = totalPos * totalNeg - selfPairs;
  if (!(denominator > 0)) return 0.5;
  return (pairs - selfPairs / 2) / denominator;
}
