/**
 * Numeric guards on training: once per retrain, a model's loss and every weight are checked to
 * be finite. A model that has diverged (NaN or Infinity from too high a learning rate, or from a
 * poisoned feature or label) stops the run with an error naming the component and the epoch, so
 * that no NaN or Infinity reaches a score, a slate or an output file. The check is a pass over the
 * weights per retrain, not per serve.
 */

/** A model whose loss or weights stopped being finite; stops the run. */
export class DivergenceError extends Error {
  override readonly name = 'DivergenceError';
}

/** Where a retrain happened, for the message: the epoch just ended and the simulated day. */
export interface RetrainPoint {
  readonly epoch: number | undefined;
  readonly day: number;
}

/** The first value that is not finite, as [array index, element index, value], or undefined. */
export function firstNonFinite(arrays: readonly ArrayLike<number>[]): readonly [number, number, number] | undefined {
  for (let a = 0; a < arrays.length; a++) {
    const values = arrays[a];
    // A sum is NaN or ±Infinity when any term is (or when finite terms overflow, which is as bad).
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i];
    if (Number.isFinite(sum)) continue;
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return [a, i, values[i]];
  }
  return undefined;
}

/**
 * A training loss no model that learns reaches: the ranker's is a cross-entropy per row summed
 * over its heads (about 0.7 a head untrained), the two-tower's an in-batch softmax (about the log
 * of the batch size). A learning rate far too high gives finite weights of 1e30 and such a loss.
 */
export const LOSS_LIMIT = 1e6;

/**
 * Throws DivergenceError when `loss` or a weight is not finite, or the loss is past LOSS_LIMIT.
 * `component` names the model (two_tower, ranker, calibration of head click); `hint` says what in
 * the scenario to change; `verb` what happened to it.
 */
export function checkTrained(component: string, at: RetrainPoint, loss: number, weights: readonly ArrayLike<number>[], hint: string, verb = 'diverged'): void {
  let what: string | undefined;
  if (!Number.isFinite(loss)) what = `its training loss is ${show(loss)}`;
  else if (loss > LOSS_LIMIT) what = `its training loss is ${loss.toExponential(1)}, past ${LOSS_LIMIT.toExponential(0)} (no model that learns gets there)`;
  else {
    const bad = firstNonFinite(weights);
    if (bad !== undefined) what = `weight ${bad[1]} of its tensor ${bad[0]} is ${show(bad[2])}`;
  }
  if (what !== undefined) throw new DivergenceError(`${component} ${verb} at the retrain after epoch ${at.epoch ?? 'none'} (day ${round(at.day)}): ${what}; the run stops before anything computed from it is written (${hint})`);
}

function show(value: number): string {
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}

function round(day: number): string {
  return Number.isInteger(day) ? String(day) : day.toFixed(2);
}
