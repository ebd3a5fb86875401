/**
 * A Bernoulli Thompson-sampling policy's Beta priors from a YAML file: one mapping per campaign,
 * each with `alpha` and `beta` lists of positive numbers, one per item (the layout of OBD's
 * prior_bts.yaml). Errors name the file and the field.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { OpeLogError } from './ope-log-error.js';

export interface BetaPriors {
  readonly alpha: readonly number[];
  readonly beta: readonly number[];
}

export async function readBetaPriors(file: string, campaign: string): Promise<BetaPriors> {
  let value: unknown;
  try {
    value = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new OpeLogError(`${file}: cannot read the priors (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(value)) throw new OpeLogError(`${file}: expected a mapping of campaigns to their alpha and beta lists`);
  const entry = value[campaign];
  if (!isRecord(entry)) throw new OpeLogError(`${file}: no campaign "${campaign}"; the file has ${Object.keys(value).map((k) => `"${k}"`).join(', ')}`);
  const list = (key: 'alpha' | 'beta'): number[] => {
    const raw = entry[key];
    if (!Array.isArray(raw)) throw new OpeLogError(`${file}: ${campaign}.${key}: expected a list of positive numbers, one per item`);
    return raw.map((x: unknown, i) => {
      if (typeof x !== 'number' || !(x > 0) || !Number.isFinite(x)) throw new OpeLogError(`${file}: ${campaign}.${key}[${i}]: expected a positive number, found ${JSON.stringify(x)}`);
      return x;
    });
  };
  const alpha = list('alpha');
  const beta = list('beta');
  if (alpha.length !== beta.length) throw new OpeLogError(`${file}: ${campaign}: ${alpha.length} alphas but ${beta.length} betas; expected one of each per item`);
  return { alpha, beta };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
