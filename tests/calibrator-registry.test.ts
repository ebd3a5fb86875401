/**
 * The calibrator registry: `ranker.calibration` and the fit by name come from each calibrator's
 * declaration, so every declared method parses and fits a calibrator of its own kind; a
 * declaration missing a field does not compile.
 */
import { describe, expect, it } from 'vitest';
import { IsotonicCalibrator, PlattCalibrator, sigmoid } from '../src/recommender/ranking/calibration.js';
import { calibrator } from '../src/recommender/ranking/calibrator-component.js';
import { CALIBRATION_METHODS, calibrationField, fitCalibrator } from '../src/recommender/ranking/calibrators.js';
import { rankerSection } from '../src/recommender/ranking/settings.js';

const logits = [-2, -1, 0, 1, 2, 3];
const labels = [0, 0, 1, 0, 1, 1];

describe('calibrator registry', () => {
  it('lists every declared method; the ranker block defaults to isotonic', () => {
    expect(CALIBRATION_METHODS).toEqual(['none', 'platt', 'isotonic']);
    expect(rankerSection.parse(undefined).calibration).toBe('isotonic');
  });

  it('fits the calibrator each method names, on the rows it is given', () => {
    for (const method of CALIBRATION_METHODS) expect(fitCalibrator(calibrationField.parse(method), logits, labels).kind).toBe(method);
    expect(fitCalibrator('none', logits, labels).apply(1.5)).toBe(sigmoid(1.5));
    const platt = fitCalibrator('platt', logits, labels);
    expect(platt).toBeInstanceOf(PlattCalibrator);
    expect(platt.apply(0.5)).toBe(PlattCalibrator.fit(logits, labels).apply(0.5));
    const isotonic = fitCalibrator('isotonic', logits, labels);
    expect(isotonic).toBeInstanceOf(IsotonicCalibrator);
    expect(isotonic.apply(0.5)).toBe(IsotonicCalibrator.fit(logits, labels).apply(0.5));
  });

  it('an unknown method is refused by the derived field, naming every declared one', () => {
    expect(calibrationField.safeParse('beta').error?.issues[0]?.message).toBe('expected none, platt or isotonic');
    expect(() => fitCalibrator('beta', logits, labels)).toThrow('no calibrator is named beta');
  });

  it('a declaration missing a field does not compile', () => {
    // @ts-expect-error `fit` is required
    const incomplete = calibrator({ name: 'x' });
    expect(incomplete.name).toBe('x');
  });
});
