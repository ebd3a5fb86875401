/**
 * What a calibrator is, declared once beside its class: its name (the `ranker.calibration`
 * value) and how to fit it on held-out logits and labels. The `calibration` field and the fit by
 * name are derived from the registry (calibrators.ts); a declaration missing a field does not
 * compile.
 */
import type { Calibrator } from './calibration.js';

export interface CalibratorComponent<N extends string = string> {
  readonly name: N;
  /** Fits it on held-out logits and their (possibly soft) labels. */
  readonly fit: (logits: ArrayLike<number>, labels: ArrayLike<number>) => Calibrator;
}

export function calibrator<const N extends string>(definition: CalibratorComponent<N>): CalibratorComponent<N> {
  return definition;
}
