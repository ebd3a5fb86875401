/**
 * Progressive validation of retrieval: before the model learns from an epoch's clicks, the share
 * of them whose item was in its top k for that user, with the history the user had at that
 * click. It measures what the source would have retrieved on clicks it has not trained on, so a
 * cheaper training setting (fewer examples, fewer epochs) shows its cost here.
 */
import type { Retriever } from '../types.js';
import type { TowerInputs } from './features.js';
import type { TrainingExamples } from './examples.js';
import type { TwoTowerModel } from './model.js';

/** Clicks evaluated per epoch, evenly spaced: enough for a recall to ±0.02, at ~2% of an epoch's serving. */
export const RECALL_SAMPLE = 2000;

export interface ProgressiveRecall {
  /** Share of the evaluated clicks whose item was in the top k (0 when none were evaluated). */
  readonly recall: number;
  readonly clicks: number;
}

/** Index of the first example at or after `epochStart` (examples are in time order): where the newest epoch's begin. */
export function firstOfEpoch(examples: TrainingExamples, epochStart: number): number {
  let from = examples.count;
  while (from > 0 && examples.times[from - 1] >= epochStart) from--;
  return from;
}

/** Up to `n` example indices from `from` to the end, evenly spaced. */
export function evenlySpaced(from: number, count: number, n: number): number[] {
  const available = Math.max(0, count - from);
  const take = Math.min(available, n);
  return Array.from({ length: take }, (_, i) => from + Math.floor((i * available) / take));
}

/** Recall@k over the examples from index `from` on (those of the newest epoch), sampled evenly. */
export function progressiveRecall(
  model: TwoTowerModel,
  retriever: Retriever,
  examples: TrainingExamples,
  from: number,
  k: number,
  userInputsOf: (rows: readonly number[]) => TowerInputs,
): ProgressiveRecall {
  const rows = evenlySpaced(from, examples.count, RECALL_SAMPLE);
  const n = rows.length;
  if (n === 0) return { recall: 0, clicks: 0 };
  const vectors = model.embedUsers(userInputsOf(rows));
  const dim = model.dim;
  const results = retriever.search(
    rows.map((_, i) => vectors.subarray(i * dim, (i + 1) * dim)),
    k,
  );
  let hits = 0;
  rows.forEach((row, i) => {
    if (results[i].ids.includes(examples.itemIds[row])) hits++;
  });
  return { recall: hits / n, clicks: n };
}
