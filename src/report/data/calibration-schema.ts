/**
 * calibration.json, written by the ranker into a run folder: reliability tables per head,
 * measured on the calibration holdout at the last retrain, before and after calibration.
 *
 * {
 *   "format": "recloop-calibration/1",
 *   "arm": "thompson",                 // optional: which arm, when the file sits in a compare folder
 *   "epoch": 29, "day": 30,            // optional: when it was measured
 *   "method": "isotonic",              // optional
 *   "heads": {
 *     "click": {
 *       "raw":        { "ece": 0.041, "bins": [ { "lower": 0, "upper": 0.1, "count": 1200, "predicted": 0.05, "observed": 0.061 }, ... ] },
 *       "calibrated": { "ece": 0.008, "bins": [ ... ] }
 *     }
 *   }
 * }
 *
 * Each side is binned by its own prediction (equal-width bins over [0, 1], empty bins left out);
 * `predicted` and `observed` are the mean prediction and the mean label in the bin.
 */
import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'expected a finite number');

const bin = z.object({
  lower: finite.optional(),
  upper: finite.optional(),
  count: z.number().int().nonnegative(),
  predicted: finite,
  observed: finite,
});

const side = z.object({ ece: finite.optional(), bins: z.array(bin) });

export const calibrationSchema = z.object({
  format: z.literal('recloop-calibration/1'),
  arm: z.string().optional(),
  epoch: z.number().int().nonnegative().optional(),
  day: finite.optional(),
  method: z.string().optional(),
  heads: z.record(z.string(), z.object({ raw: side, calibrated: side })),
});

export type CalibrationFile = z.infer<typeof calibrationSchema>;
export type ReliabilityBin = z.infer<typeof bin>;
