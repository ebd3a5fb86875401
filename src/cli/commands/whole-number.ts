/**
 * Whole-number options (--seed, --replicas, --seeds, --workers). They are declared as strings
 * and read here, because yargs turns `--seed abc` into NaN and the message could then only
 * say "NaN"; this one says what was typed.
 */
import { UserError } from './types.js';

/** The option's value as a whole number of at least `min`, or undefined when it was not given. */
export function wholeNumberOption(flag: string, raw: unknown, min?: number): number | undefined {
  if (raw === undefined) return undefined;
  const expected = `expected a whole number${min === undefined ? '' : ` of ${min} or more`}`;
  const text = String(raw).trim();
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new UserError(`--${flag}: ${expected}, found "${String(raw)}"`);
  if (min !== undefined && value < min) throw new UserError(`--${flag}: ${expected}, found ${value}`);
  return value;
}
