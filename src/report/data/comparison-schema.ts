/**
 * comparison.json as `recloop compare` writes it (src/experiment/comparison.ts), read loosely:
 * only the fields the report uses are required, so older and newer files still load.
 * tests/report-formats.test.ts checks at compile time that the experiment's own Comparison type
 * satisfies this schema, so the two cannot drift apart unnoticed.
 */
import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const range = z.tuple([finite, finite]).nullable();
const nullableList = z.array(finite.nullable());

const series = z.object({
  day_end: z.array(finite),
  // null where the metric is undefined in that epoch for every replica
  mean: z.array(finite.nullable()),
  ci95_low: nullableList,
  ci95_high: nullableList,
  // the day the arm's line crosses the control's for good; null when it never does (files before it: absent)
  crossing_day: finite.nullable().optional(),
});

const difference = z.object({ diff: finite, ci95: range, relative: finite.nullable().optional() });

const armMetric = z.object({
  // null where the metric is undefined in every measured epoch of every replica
  mean: finite.nullable(),
  ci95: range,
  vs_control: difference.nullable(),
  // against the oracle baseline, where the experiment has one (files before it: absent)
  vs_oracle: difference.nullable().optional(),
  // the trend per day over the measured epochs (files before it: absent)
  slope_per_day: z.object({ mean: finite, ci95: range }).nullable().optional(),
  series,
});

const guardrail = z.object({
  metric: z.string(),
  arm: z.string(),
  kind: z.enum(['relative', 'absolute']),
  threshold: finite,
  better: z.enum(['higher', 'lower']),
  worsening: z.number(),
  status: z.enum(['ok', 'uncertain', 'breached']),
});

export const comparisonSchema = z.object({
  scenario: z.string(),
  design: z.string().optional(),
  control: z.string(),
  oracle: z.string().optional(),
  seeds: z.array(z.number()).min(1),
  confidence: z.number().gt(0).lt(1),
  difference: z.string().optional(),
  measure_from: z.number().optional(),
  arms: z.array(z.object({ name: z.string(), role: z.string(), kind: z.string().optional() })).min(1),
  metrics: z.record(z.string(), z.object({ better: z.enum(['higher', 'lower']).nullable().optional(), arms: z.record(z.string(), armMetric) })),
  guardrails: z.array(guardrail).default([]),
  guardrails_unavailable: z.array(z.string()).default([]),
});

export type ComparisonFile = z.infer<typeof comparisonSchema>;
export type ComparisonInput = z.input<typeof comparisonSchema>;
