/**
 * The fitted-world file (fitted-world.json): every fitted parameter with its standard error,
 * the counts behind it, the log it came from (with a digest of its rows, so a check can tell
 * that log again under another folder name) and the model's own parameters with their
 * covariance, from which a check draws worlds as uncertain as the fit. Read back through a
 * schema, so a hand-edited file fails with its field named.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { FitError } from './fit-error.js';

export const FITTED_WORLD_FILE = 'fitted-world.json';
export const FITTED_WORLD_MODEL = 'P(click | slot k, item i, segment s) = theta[k] * q[i] * m[s]';

const count = z.number().int().nonnegative();
const positive = z.number().positive().finite();
const nonNegative = z.number().nonnegative().finite();

const sourceLogSchema = z.object({
  /** The imported log's folder, as given to recloop fit. */
  dir: z.string(),
  /** The file it was imported from (its import.json `source.log`). */
  source: z.string().nullable(),
  /** The policy that logged it. */
  arm: z.string(),
  rows: count,
  clicks: count,
  /** `<rows>:<FNV-1a of item, slot, click, propensity>`: the same rows give the same digest wherever they were imported. */
  digest: z.string(),
});
export type SourceLog = z.infer<typeof sourceLogSchema>;

export const fittedWorldSchema = z.object({
  kind: z.literal('recloop fitted world'),
  model: z.string(),
  log: sourceLogSchema,
  slots: z.number().int().min(1),
  items: z.number().int().min(1),
  segment_columns: z.array(z.string()),
  priors: z.object({ item_sd: positive, segment_sd: positive }),
  fit: z.object({ log_likelihood: z.number().finite(), iterations: count, converged: z.boolean() }),
  positions: z.array(z.object({ slot: z.number().int().min(1), theta: positive, se: nonNegative, impressions: count, clicks: count })),
  item_propensities: z.array(z.object({ item: count, q: positive, se: nonNegative, impressions: count, clicks: count })),
  segments: z.array(
    z.object({
      name: z.string(),
      values: z.record(z.string(), z.string()).nullable(),
      share: positive.max(1),
      share_se: nonNegative,
      impressions: count,
      clicks: count,
      m: positive,
      m_se: nonNegative,
    }),
  ),
  log_parameters: z.object({ names: z.array(z.string()), estimate: z.array(z.number().finite()), covariance: z.array(z.array(z.number().finite())) }),
});
export type FittedWorld = z.infer<typeof fittedWorldSchema>;

export async function readFittedWorld(file: string): Promise<FittedWorld> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new FitError(`${file}: cannot read the fitted world (${error instanceof Error ? error.message : String(error)}); make one with recloop fit`);
  }
  const result = fittedWorldSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new FitError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const world = result.data;
  const P = world.log_parameters.names.length;
  const problem =
    world.positions.length !== world.slots
      ? `positions: ${world.positions.length} entries; expected one per slot (${world.slots})`
      : world.item_propensities.length !== world.items
        ? `item_propensities: ${world.item_propensities.length} entries; expected one per item (${world.items})`
        : world.segments.length === 0
          ? 'segments: none; expected at least one'
          : P !== world.slots - 1 + world.items + world.segments.length + 1
            ? `log_parameters.names: ${P} parameters; expected ${world.slots - 1 + world.items + world.segments.length + 1} for ${world.slots} slots, ${world.items} items and ${world.segments.length} segments`
            : world.log_parameters.estimate.length !== P || world.log_parameters.covariance.length !== P || world.log_parameters.covariance.some((row) => row.length !== P)
              ? `log_parameters: expected an estimate of ${P} values and a ${P} × ${P} covariance`
              : Math.abs(world.segments.reduce((a, s) => a + s.share, 0) - 1) > 1e-6
                ? 'segments: the shares do not sum to 1'
                : undefined;
  if (problem !== undefined) throw new FitError(`${file}: ${problem}`);
  return world;
}
