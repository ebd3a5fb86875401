/**
 * ope.json as `recloop ope` writes it (src/ope/run-ope.ts, OpeReport), read loosely: only the
 * fields the report draws are required. tests/report-formats.test.ts checks at compile time
 * that OpeReport satisfies this schema.
 */
import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'expected a finite number');

export const opeSchema = z.object({
  scenario: z.string(),
  unit: z.string(),
  eval_window: z.object({ from: finite, to: finite }).optional(),
  logging: z.object({ policy: z.string(), realised_value: finite.optional() }),
  target: z.object({ policy: z.string() }),
  truth: z.object({ twin_realised: finite, twin_realised_se: finite.optional(), twin_expected: finite.nullable().optional() }),
  estimators: z
    .array(
      z.object({
        estimator: z.string(),
        estimate: finite,
        ci_lo: finite,
        ci_hi: finite,
        ci_covers_truth: z.boolean().optional(),
        world_breaks_it: z.enum(['yes', 'partly', 'no', 'unknown']).optional(),
        why: z.string().optional(),
      }),
    )
    .min(1),
  settings: z.object({ confidence: z.number().gt(0).lt(1) }).optional(),
});

export type OpeFile = z.infer<typeof opeSchema>;
export type OpeInput = z.input<typeof opeSchema>;
