/**
 * Trains the two-tower model on the log window's positives: shuffled mini-batches, in-batch
 * negatives, and (optionally) the logQ correction with each item's sampling probability
 * estimated from its share of the positives.
 */
import type { Rng } from '../../rng/index.js';
import type { PublicCatalog, PublicUsers } from '../../world/public.js';
import { deviceIndex, hourOfDay, itemInputs, UserQueries, userInputs } from './features.js';
import type { TrainingExamples } from './examples.js';
import type { IdEvidence } from './id-evidence.js';
import type { TwoTowerModel } from './model.js';

export interface TrainOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly logQCorrection: boolean;
  readonly historyHalfLife: number;
  /** Id-embedding weights, already updated from these examples. */
  readonly evidence: IdEvidence;
}

export interface TrainReport {
  readonly examples: number;
  readonly steps: number;
  /** Mean in-batch softmax loss over the last epoch (0 when nothing was trained). */
  readonly loss: number;
  readonly seconds: number;
}

export function trainTwoTower(
  model: TwoTowerModel,
  examples: TrainingExamples,
  options: TrainOptions,
  catalog: PublicCatalog,
  users: PublicUsers,
  rng: Rng,
): TrainReport {
  const started = performance.now();
  const logQ = options.logQCorrection ? samplingLogProbabilities(examples) : null;
  const order = Array.from({ length: examples.count }, (_, e) => e);
  let steps = 0;
  let loss = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    rng.shuffle(order);
    let lossSum = 0;
    let lossCount = 0;
    // A batch of one has no in-batch negatives: the tail is dropped when it is that small.
    for (let start = 0; start + 1 < order.length; start += options.batchSize) {
      const batch = order.slice(start, start + options.batchSize);
      const itemIds = Int32Array.from(batch, (e) => examples.itemIds[e]);
      const times = Float64Array.from(batch, (e) => examples.times[e]);
      const batchLoss = model.trainStep({
        user: userInputs(exampleQueries(examples, batch, users), catalog, users, options.historyHalfLife, options.evidence),
        item: itemInputs(itemIds, times, catalog, options.evidence),
        itemIds,
        logQ: logQ ? Float32Array.from(batch, (e) => logQ[e]) : null,
      });
      lossSum += batchLoss * batch.length;
      lossCount += batch.length;
      steps++;
    }
    loss = lossCount > 0 ? lossSum / lossCount : 0;
  }
  return { examples: examples.count, steps, loss, seconds: (performance.now() - started) / 1000 };
}

/** log q per example: its item's share of all positives, the rate at which it shows up as an in-batch negative. */
export function samplingLogProbabilities(examples: Pick<TrainingExamples, 'count' | 'itemIds'>): Float32Array {
  const counts = new Map<number, number>();
  for (const item of examples.itemIds) counts.set(item, (counts.get(item) ?? 0) + 1);
  return Float32Array.from(examples.itemIds, (item) => Math.log((counts.get(item) ?? 1) / examples.count));
}

/** The user-tower queries of the given examples: each user with the history before that click. */
export function exampleQueries(examples: TrainingExamples, batch: readonly number[], users: PublicUsers): UserQueries {
  const H = examples.historyLength;
  const q = new UserQueries(batch.length, H);
  batch.forEach((e, b) => {
    const userId = examples.userIds[e];
    q.userIds[b] = userId;
    q.times[b] = examples.times[e];
    q.hours[b] = hourOfDay(examples.times[e]);
    q.devices[b] = deviceIndex(users.get(userId).device);
    q.historyCounts[b] = examples.historyCounts[e];
    // Copied by hand: two subarray views per example were most of this function's cost.
    for (let k = 0; k < H; k++) {
      q.historyItems[b * H + k] = examples.historyItems[e * H + k];
      q.historyTimes[b * H + k] = examples.historyTimes[e * H + k];
    }
  });
  return q;
}
