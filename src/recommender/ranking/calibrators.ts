/**
 * The calibrator registry: every `ranker.calibration` method, declared beside its class
 * (calibrator-component.ts says what a declaration holds). The scenario field, the fit by name
 * and the cross-fitted predictions are derived from it, so a new calibrator is its file plus
 * one line here.
 */
import { z } from 'zod';
import { checkPairs, expectedCalibrationError, ISOTONIC_CALIBRATION, NO_CALIBRATION, PLATT_CALIBRATION, sigmoid, type Calibrator } from './calibration.js';
import type { CalibratorComponent } from './calibrator-component.js';

const CALIBRATORS = [NO_CALIBRATION, PLATT_CALIBRATION, ISOTONIC_CALIBRATION] as const;

export type CalibrationKind = (typeof CALIBRATORS)[number]['name'];
export const CALIBRATION_METHODS = CALIBRATORS.map((c) => c.name) as [CalibrationKind, ...CalibrationKind[]];

/** `ranker.calibration`: one of the declared methods. */
export const calibrationField = z.enum(CALIBRATION_METHODS, {
  error: `expected ${CALIBRATION_METHODS.slice(0, -1).join(', ')} or ${CALIBRATION_METHODS.at(-1)}`,
});

export function fitCalibrator(kind: string, logits: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  const method: CalibratorComponent | undefined = CALIBRATORS.find((c) => c.name === kind);
  if (!method) throw new Error(`no calibrator is named ${kind}`);
  return method.fit(logits, labels);
}

/** Folds of the cross-fitted ECE. */
export const CALIBRATION_FOLDS = 5;

/**
 * Calibrated predictions for rows the calibrator was not fitted on: K interleaved folds (row i
 * in fold i mod K), each calibrated by a fit on the other K − 1. Measuring ECE on the fitting rows
 * would flatter isotonic regression, which can fit a sample's noise; K − 1 of K rows keeps each
 * fit close to the one deployed (fitted on all rows).
 */
export function crossFittedPredictions(kind: string, logits: ArrayLike<number>, labels: ArrayLike<number>, folds = CALIBRATION_FOLDS): Float64Array {
  checkPairs(logits, labels);
  const n = logits.length;
  if (n < folds) return Float64Array.from(logits, sigmoid);
  const predictions = new Float64Array(n);
  for (let fold = 0; fold < folds; fold++) {
    const fitZ: number[] = [];
    const fitY: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i % folds === fold) continue;
      fitZ.push(logits[i]);
      fitY.push(labels[i]);
    }
    const calibrator = fitCalibrator(kind, fitZ, fitY);
    for (let i = fold; i < n; i += folds) predictions[i] = calibrator.apply(logits[i]);
  }
  return predictions;
}

/** ECE of the cross-fitted predictions (see crossFittedPredictions). */
export function crossFittedEce(kind: string, logits: ArrayLike<number>, labels: ArrayLike<number>, folds = CALIBRATION_FOLDS): number {
  return expectedCalibrationError(crossFittedPredictions(kind, logits, labels, folds), labels);
}
