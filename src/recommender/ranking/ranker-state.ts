/**
 * What one retrain of the multi-task ranker leaves behind for serving, as plain arrays: what a
 * thread that did not train needs to serve exactly as the one that did (trained-states.ts).
 * The optimizer's moments stay with the training thread, which alone trains again.
 */
import type { HeadReport } from './multi-task-ranker.js';
import type { ItemStatsState } from './item-stats.js';
import type { TrainingRun } from './trainer.js';

/** The rows a head's calibrator was fitted on: fitting again on them gives the same calibrator. */
export interface CalibrationFit {
  readonly logits: Float64Array;
  readonly labels: Float64Array;
}

export interface RankerState {
  /** The day of the retrain, to refuse a state from another retrain. */
  readonly trainedAt: number;
  /** The network's variables, in the order and layout of RankerModel.variables. */
  readonly weights: readonly Float32Array[];
  readonly standardizer: { readonly mean: Float32Array; readonly inverseSd: Float32Array };
  /** By head; null for a head with no held-out rows (served uncalibrated). */
  readonly calibrationFits: readonly (CalibrationFit | null)[];
  readonly reports: readonly HeadReport[];
  readonly lastRun: TrainingRun;
  readonly trainExamples: number;
  readonly itemStats: ItemStatsState;
  /** The cascade's fitted pre-ranker weights (null without a cascade). */
  readonly preRanker: Float32Array | null;
}
