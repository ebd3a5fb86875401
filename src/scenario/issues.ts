/**
 * Turns zod issues into messages a scenario author can act on: what was expected, what was
 * found, the allowed keys or values and a "did you mean" for near misses. No zod wording
 * reaches the user: the parse runs with an error map that marks zod's default messages, and
 * every marked message is rewritten here from the issue's fields; messages written in the
 * schema are kept and completed with what was found.
 */
import type { z } from 'zod';
import { describeValue, joinOr } from './describe.js';
import type { KeyPath, PathSegment } from './paths.js';
import { discriminatorOf, objectKeys, schemaAt } from './schema-walk.js';
import type { Target } from './source.js';
import { didYouMean } from '../settings/suggest.js';

type Schema = z.core.$ZodType;
type Issue = z.core.$ZodIssue;

/** Message the error map gives every issue the schema has no message of its own for. */
export const DEFAULT_MESSAGE = '\u0000default';
export const markDefaults = (): string => DEFAULT_MESSAGE;

export interface IssueProblem {
  readonly path: KeyPath;
  readonly target: Target;
  readonly message: string;
}

export function describeIssues(issues: readonly Issue[], input: unknown, schema: Schema): IssueProblem[] {
  return issues.flatMap((issue) => describeIssue(issue, input, schema));
}

function describeIssue(issue: Issue, input: unknown, schema: Schema): IssueProblem[] {
  const path: PathSegment[] = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  const { found, value } = valueAt(input, path);
  const own = issue.message === DEFAULT_MESSAGE ? undefined : issue.message;
  const last = path[path.length - 1];
  const at = (message: string, target: Target = 'value'): IssueProblem[] => [{ path, target, message }];
  const missing = (extra = ''): IssueProblem[] => at(`missing required key "${String(last)}"${extra}`, 'parent');

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = objectKeys(schemaAt(schema, path, input)) ?? [];
      return issue.keys.map((key) => ({
        path: [...path, key],
        target: 'key',
        message:
          `unknown key "${key}"` +
          (allowed.length > 0 ? ` (expected one of: ${allowed.join(', ')})` : '') +
          didYouMean(key, allowed),
      }));
    }

    case 'invalid_type': {
      if (!found && path.length > 0) return missing();
      if (issue.expected === 'object') {
        const union = discriminatorOf(schemaAt(schema, path, input));
        const kinds = union ? ` with ${union.discriminator}: ${joinOr(union.values)}` : '';
        return at(`expected a mapping${kinds}, found ${describeValue(value)}`);
      }
      const expected = own ?? `expected ${typeName(issue.expected)}`;
      return at(`${expected}, found ${describeValue(value)}${hint(issue.expected, value)}`);
    }

    case 'too_small':
    case 'too_big': {
      // A whole number past 2^53 is read rounded, so "expected a whole number, found 9007199254740992" would puzzle.
      if (issue.origin === 'int' && typeof value === 'number' && Number.isInteger(value)) {
        return at(`${own ?? 'expected a whole number'} of at most ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')} in size, found ${describeValue(value)}`);
      }
      const expected = own ?? boundText(issue);
      return at(`${expected}, found ${describeValue(value)}`);
    }

    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      const expected = own ?? (values.length === 1 ? `expected ${values[0]}` : `expected one of: ${values.join(', ')}`);
      const suggestion = typeof value === 'string' ? didYouMean(value, values) : '';
      return at(`${expected}, found ${describeValue(value)}${suggestion}`);
    }

    case 'invalid_union': {
      if (issue.discriminator !== undefined) {
        // A tag with a default (world kind: population) lists undefined among the options; it is not something to write.
        const options = ('options' in issue && issue.options ? issue.options : []).filter((option) => option !== undefined).map((option) => String(option));
        if (!found) return missing(options.length > 0 ? ` (expected one of: ${options.join(', ')})` : '');
        if (typeof value === 'string') {
          const parent = path[path.length - 2];
          const what = typeof parent === 'string' ? `${parent} ${String(last)}` : String(last);
          return at(`unknown ${what} "${value}" (expected one of: ${options.join(', ')})${didYouMean(value, options)}`);
        }
        return at(`expected one of: ${options.join(', ')}, found ${describeValue(value)}`);
      }
      return at(`${own ?? 'expected a different kind of value'}, found ${describeValue(value)}`);
    }

    case 'invalid_format': {
      const expected = own ?? (issue.format === 'regex' && issue.pattern ? `expected text matching ${issue.pattern}` : `expected a valid ${issue.format}`);
      return at(`${expected}, found ${describeValue(value)}`);
    }

    case 'not_multiple_of':
      return at(`${own ?? `expected a multiple of ${issue.divisor}`}, found ${describeValue(value)}`);

    case 'custom':
      return at(`${own ?? 'this value is not allowed'}, found ${describeValue(value)}`);

    default:
      return at(`${own ?? 'this value is not allowed'}, found ${describeValue(value)}`);
  }
}

function typeName(expected: string): string {
  switch (expected) {
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'array':
    case 'tuple':
      return 'a list';
    case 'object':
    case 'record':
      return 'a mapping';
    default:
      return `a ${expected}`;
  }
}

function boundText(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const bound = String(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'array' || issue.origin === 'set') {
    if (issue.exact) return `expected a list of exactly ${bound} items`;
    return `expected a list of ${small ? 'at least' : 'at most'} ${bound} items`;
  }
  if (issue.origin === 'string') {
    if (issue.exact) return `expected text of exactly ${bound} characters`;
    return `expected text of ${small ? 'at least' : 'at most'} ${bound} characters`;
  }
  const inclusive = issue.inclusive !== false;
  const relation = small ? (inclusive ? 'at least' : 'above') : inclusive ? 'at most' : 'below';
  return `expected a number ${relation} ${bound}`;
}

/** A nudge for the usual ways of writing the right thing the wrong way. */
function hint(expected: string, value: unknown): string {
  if (typeof value !== 'string') return '';
  const text = value.trim();
  if (expected === 'number' || expected === 'int') {
    if (text !== '' && Number.isFinite(Number(text))) return ' (remove the quotes to make it a number)';
    if (/^\d+(\.\d+)?\s*[smhdw]$/.test(text)) return ' (this setting is a plain number, without a unit)';
  }
  if (expected === 'boolean' && /^(yes|no|on|off|y|n|true|false)$/i.test(text)) return ' (write true or false, without quotes)';
  return '';
}

function valueAt(input: unknown, path: KeyPath): { found: boolean; value: unknown } {
  let value = input;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, segment)) {
      return { found: false, value: undefined };
    }
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return { found: true, value };
}

