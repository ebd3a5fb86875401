/**
 * `--grid key=v1,v2` options: a dotted scenario path (as `--set` takes it) and the values it
 * takes, each read as YAML by the `--set` parser. Values are split at commas outside brackets,
 * parentheses and quotes, so `--grid world.items.quality.beta=[2,2],[5,1]` gives two lists.
 */
import { parseOverride } from '../scenario/overrides.js';
import { SweepError } from './errors.js';

export interface GridAxis {
  /** The key path as written, e.g. `recommender.exploration.epsilon`. */
  readonly key: string;
  /** The values as written, in the order given. */
  readonly values: readonly string[];
}

/** Keys a sweep sets itself or does not read, with what to use instead. */
const RESERVED: readonly { readonly test: RegExp; readonly instead: string }[] = [
  { test: /^seed$/, instead: 'a sweep runs every cell with the seeds of --seed and --seeds' },
  { test: /^replicas$/, instead: 'a sweep runs every cell with --seeds seeds' },
  { test: /^logs(\.|$)/, instead: 'a sweep writes impression logs for every job with --logs, or for none' },
  { test: /^experiment(\.|\[|$)/, instead: "a sweep compares its cells, not the experiment's arms; sweep recommender.<key> instead" },
  { test: /^report(\.|\[|$)/, instead: 'runs do not read it, and the report reads it from the scenario without the grid; set it with --set' },
];

const EXAMPLE = 'expected key.path=value1,value2, e.g. --grid recommender.slate_size=5,10';

/** Every axis, in the order given; throws SweepError naming each bad option. */
export function parseGrid(specs: readonly string[]): GridAxis[] {
  if (specs.length === 0) throw new SweepError(`--grid: a sweep needs at least one; ${EXAMPLE}`);
  const problems: string[] = [];
  const axes: GridAxis[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const key = eq < 0 ? '' : spec.slice(0, eq).trim();
    if (eq < 0 || key === '') {
      problems.push(`--grid ${spec}: ${eq < 0 ? 'no "="' : 'no key before "="'}; ${EXAMPLE}`);
      continue;
    }
    const reserved = RESERVED.find((r) => r.test.test(key));
    if (reserved) {
      problems.push(`--grid ${key}: cannot be swept; ${reserved.instead}`);
      continue;
    }
    if (axes.some((axis) => axis.key === key)) {
      problems.push(`--grid ${key}: given twice; give every value of a key in one --grid, e.g. --grid ${key}=a,b`);
      continue;
    }
    const values = splitValues(spec.slice(eq + 1));
    const bad = checkValues(key, values);
    if (bad.length > 0) problems.push(...bad);
    else axes.push({ key, values });
  }
  if (problems.length > 0) throw new SweepError(problems.join('\n'));
  return axes;
}

function checkValues(key: string, values: readonly string[]): string[] {
  if (values.length === 0 || values.some((v) => v === '')) {
    return [`--grid ${key}: an empty value; expected values separated by commas, e.g. --grid ${key}=a,b`];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) problems.push(`--grid ${key}: the value ${value} is given twice; expected distinct values`);
    seen.add(value);
    // Cells are folders named from their values.
    if (/[/\\\0]/.test(value)) problems.push(`--grid ${key}=${value}: a value may not hold / or \\ (cells are folders named from their values)`);
    const parsed = parseOverride(`${key}=${value}`);
    if ('error' in parsed) problems.push(`--grid ${key}=${value}: ${parsed.error.replace(/e\.g\. --set /, 'e.g. --grid ')}`);
  }
  return problems;
}

/** Splits at commas that are not inside brackets, braces, parentheses (a formula's `max(click, like)`) or quotes; trims each value. */
export function splitValues(text: string): string[] {
  const values: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      values.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  values.push(text.slice(start).trim());
  return values;
}
