/**
 * The scenario `recloop fit` writes beside a fitted world: a simulation of the logged setting
 * (each impression a segment drawn by its share, a policy filling the slots, each shown item
 * clicked with θ_slot · q_item · m_segment), which `recloop fit-check` runs and compares with a
 * real log, each simulated log as long as that log. Its options override any field. Errors name
 * the file and the field.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { FitError } from './fit-error.js';

export const FIT_SCENARIO_FILE = 'scenario.yaml';
export const FIT_POLICIES = ['uniform', 'bernoulli_thompson'] as const;
export const POSTERIORS = ['updated', 'frozen'] as const;
export const PARAMETER_MODES = ['drawn', 'fitted'] as const;

export const fitScenarioSchema = z
  .object({
    /** The fitted world, relative to the scenario's folder. */
    fitted_world: z.string().min(1),
    policy: z.enum(FIT_POLICIES),
    /** bernoulli_thompson: the Beta priors (YAML, one entry per campaign; relative to the scenario's folder) and the campaign. */
    priors: z.string().nullable().default(null),
    campaign: z.string().nullable().default(null),
    /** bernoulli_thompson: updated on the simulated clicks every `batch` impressions, or frozen at the priors. */
    posterior: z.enum(POSTERIORS).default('updated'),
    batch: z.number().int().min(1).default(1000),
    seeds: z.number().int().min(2).default(50),
    /** The first seed; seed s of the check is seed + s. */
    seed: z.number().int().default(1),
    /** drawn: each seed draws the world's parameters from the fit's uncertainty; fitted: every seed uses the estimates. */
    parameters: z.enum(PARAMETER_MODES).default('drawn'),
  })
  .strict();
export type FitScenario = z.infer<typeof fitScenarioSchema>;

export async function readFitScenario(file: string): Promise<FitScenario> {
  let value: unknown;
  try {
    value = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new FitError(`${file}: cannot read the scenario (${error instanceof Error ? error.message : String(error)})`);
  }
  const scenario = checkFitScenario(value, file);
  // Paths in the file are relative to it; the command line's, to where it runs.
  return { ...scenario, priors: scenario.priors === null ? null : besideScenario(file, scenario.priors) };
}

export function checkFitScenario(value: unknown, file: string): FitScenario {
  const result = fitScenarioSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new FitError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const scenario = result.data;
  if (scenario.policy === 'bernoulli_thompson' && (scenario.priors === null || scenario.campaign === null)) {
    throw new FitError(`${file}: policy: bernoulli_thompson needs priors (a YAML of Beta priors) and campaign`);
  }
  return scenario;
}

/** A path the scenario names, relative to the scenario's folder unless absolute. */
export function besideScenario(file: string, path: string): string {
  return isAbsolute(path) ? path : join(dirname(file), path);
}

export function formatFitScenario(scenario: FitScenario, header: string): string {
  return `${header
    .split('\n')
    .map((line) => `# ${line}`)
    .join('\n')}\n${stringify(scenario)}`;
}
