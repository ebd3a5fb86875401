/**
 * Guardrails: a metric an arm must not make worse than the control by more than a threshold,
 * relative (a share of the control's mean) or absolute (the metric's own units).
 *
 * Worsening is the difference treatment − control turned so that positive means worse. Status:
 * - `breached`: the estimated worsening is beyond the threshold (the arm is flagged);
 * - `uncertain`: the estimate is within it, but the worse end of the 95% interval is beyond it
 *   (or there is no interval: a single replica), so a breach cannot be ruled out;
 * - `ok`: the whole interval is within the threshold.
 */
import type { ExperimentConfig } from '../scenario/schema.js';
import { metricDirection, type Better } from '../metrics/index.js';
import type { Interval } from './stats.js';

export interface GuardrailSpec {
  readonly metric: string;
  readonly kind: 'relative' | 'absolute';
  readonly threshold: number;
  readonly better: Better;
}

export type GuardrailStatus = 'ok' | 'uncertain' | 'breached';

export interface GuardrailResult extends GuardrailSpec {
  readonly arm: string;
  /** Estimated worsening in the threshold's units (a share for relative guardrails); negative is an improvement. */
  readonly worsening: number;
  /** Worsening at the worse end of the 95% interval; null without an interval. */
  readonly worst_case: number | null;
  readonly status: GuardrailStatus;
  readonly flagged: boolean;
}

/** The guardrails of a validated experiment, with their directions. */
export function guardrailSpecs(experiment: ExperimentConfig): GuardrailSpec[] {
  return Object.entries(experiment.guardrails).map(([metric, value]) => {
    const given = typeof value === 'number' ? { relative: value } : value;
    const better = (typeof value === 'object' ? value.better : undefined) ?? metricDirection(metric);
    if (better === undefined) throw new Error(`guardrail ${metric}: no direction known`);
    return given.absolute !== undefined
      ? { metric, kind: 'absolute', threshold: given.absolute, better }
      : { metric, kind: 'relative', threshold: given.relative ?? 0, better };
  });
}

/** Judges one arm's difference against the control (`controlMean` scales relative guardrails). */
export function evaluateGuardrail(spec: GuardrailSpec, arm: string, difference: Interval, controlMean: number): GuardrailResult {
  const sign = spec.better === 'higher' ? -1 : 1;
  const worseEnd = spec.better === 'higher' ? difference.low : difference.high;
  let scale = 1;
  if (spec.kind === 'relative') scale = Math.abs(controlMean);
  // A relative guardrail on a control mean of 0: every worsening, however small, is beyond every share.
  const toUnits = (diff: number): number => (scale > 0 ? (sign * diff) / scale : sign * diff > 0 ? Number.MAX_VALUE : 0);
  const worsening = toUnits(difference.estimate);
  const worstCase = worseEnd === null ? null : toUnits(worseEnd);
  let status: GuardrailStatus;
  if (worsening > spec.threshold) status = 'breached';
  else if (worstCase === null || worstCase > spec.threshold) status = 'uncertain';
  else status = 'ok';
  return { ...spec, arm, worsening, worst_case: worstCase, status, flagged: status === 'breached' };
}
