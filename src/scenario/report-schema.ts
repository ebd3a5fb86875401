/**
 * The optional `report:` section: choices the report makes that only the scenario's author
 * knows. `frontier` names the two metrics a sweep's trade-off chart plots against each other
 * (short-term on x, long-term on y); ./report-check.ts checks them against the metric registry.
 * Runs ignore it; absent, the report picks its defaults.
 */
import { z } from 'zod';

const frontier = z.strictObject({
  /** The short-term metric, on the x axis, e.g. ctr. */
  x: z.string(),
  /** The long-term metric, on the y axis, e.g. retention_30d. */
  y: z.string(),
});

export const reportSection = z.strictObject({
  frontier: frontier.optional(),
});

export type ReportSettings = z.output<typeof reportSection>;
