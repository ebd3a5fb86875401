/**
 * The folders of `recloop ope-log` (ope-log.json, src/ope/logged/evaluate-logged.ts) and
 * `recloop fit-check` (fit-check.json, src/fit/fit-check.ts), read loosely: only the fields the
 * report draws are required. tests/report-cli.test.ts checks at compile time that the writers'
 * types satisfy these schemas.
 */
import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const level = z.number().gt(0).lt(1);

const logSummary = z.object({ dir: z.string(), policy: z.string(), impressions: finite, clicks: finite, click_rate: finite, click_rate_se: finite });

export const opeLogSchema = z.object({
  unit: z.string(),
  log: logSummary,
  truth: logSummary.nullable(),
  target: z.object({ policy: z.string(), priors: z.string().nullable().optional(), campaign: z.string().nullable().optional() }),
  settings: z.object({ bootstrap: finite, confidence: level }),
  estimators: z.array(z.object({ estimator: z.string(), estimate: finite, ci_lo: finite, ci_hi: finite })).min(1),
});

export type OpeLogFile = z.infer<typeof opeLogSchema>;
export type OpeLogInput = z.input<typeof opeLogSchema>;

const range = z.object({ mean: finite, lo: finite, hi: finite });

export const fitCheckSchema = z.object({
  unit: z.string(),
  world: z.object({ file: z.string(), fitted_on: z.object({ dir: z.string(), arm: z.string(), rows: finite, clicks: finite }) }),
  truth: z.object({ dir: z.string(), policy: z.string(), impressions: finite, clicks: finite }),
  policy: z.object({ kind: z.string() }),
  settings: z.object({ seeds: finite, first_seed: finite, parameters: z.string(), confidence: level, impressions: finite }),
  rates: z
    .array(
      z.object({
        metric: z.string(),
        real: finite,
        real_se: finite.nullable(),
        simulated_mean: finite,
        simulated_lo: finite,
        simulated_hi: finite,
        gap: finite,
        gap_lo: finite,
        gap_hi: finite,
        consistent: z.boolean(),
      }),
    )
    .min(1),
  exposure: z.object({
    tvd: range,
    reference_tvd: range,
    excess: range,
    items: z.array(z.object({ item: finite, real: finite, simulated: finite })),
  }),
});

export type FitCheckFile = z.infer<typeof fitCheckSchema>;
export type FitCheckInput = z.input<typeof fitCheckSchema>;
