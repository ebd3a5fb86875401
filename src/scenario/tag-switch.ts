/**
 * A `--set` that changes the tag of a discriminated union (`recommender.kind=random` on a
 * popularity scenario, `recommender.exploration.policy=thompson` over epsilon-greedy) switches to
 * another option of that union. The file's keys in that mapping that belong only to the option
 * being replaced (popularity's `window`) are dropped, as they are for an experiment arm of another
 * kind (experiment-arms.ts); the keys every option shares (slate size, retraining, ...) stay.
 * Each dropped key is reported in a note, so nothing disappears silently. Keys that an earlier
 * `--set` wrote are kept, so the schema still reports one the new option does not take.
 */
import { isMap } from 'yaml';
import type { z } from 'zod';
import { formatPath, type KeyPath } from './paths.js';
import { discriminatorOf, peel, schemaAt, sharedKeys } from './schema-walk.js';
import { keyText, type ScenarioSource } from './source.js';

/** The tag's value at `path` before the override, written or (for a defaulted option) implied. */
export function tagBefore(source: ScenarioSource, root: z.core.$ZodType, path: KeyPath, input: unknown): string | undefined {
  const union = unionAt(root, path, input);
  if (union === undefined) return undefined;
  const written: unknown = source.doc.getIn(path);
  if (written !== undefined && written !== null) return String(written);
  return union.options.find((option) => option.defaulted)?.values[0];
}

/**
 * After an override set the tag at `path` from `before` to something else: removes the keys of
 * the enclosing mapping that not every option has, and returns a note naming them (or nothing).
 */
export function dropKeysOfReplacedOption(
  source: ScenarioSource,
  root: z.core.$ZodType,
  path: KeyPath,
  before: string | undefined,
  input: unknown,
  file: string,
  overrideText: string,
): string | undefined {
  const union = unionAt(root, path, input);
  const after: unknown = source.doc.getIn(path);
  if (union === undefined || before === undefined || String(after) === before) return undefined;
  const mapping: unknown = source.doc.getIn(path.slice(0, -1), true);
  if (!isMap(mapping)) return undefined;
  const keep = new Set(sharedKeys(union));
  const dropped: string[] = [];
  mapping.items = mapping.items.filter((pair) => {
    const key = keyText(pair.key);
    if (keep.has(key) || source.fromOverride(pair.key) || source.fromOverride(pair.value)) return true;
    const line = source.position(pair.key)?.line;
    dropped.push(line === undefined ? key : `${key} (line ${line})`);
    return false;
  });
  if (dropped.length === 0) return undefined;
  const where = formatPath(path.slice(0, -1));
  return `--set ${overrideText}: ${file}'s ${where}.${dropped.join(', ')} dropped (only ${union.discriminator} ${before} has ${dropped.length === 1 ? 'it' : 'them'})`;
}

/** The discriminated union whose tag is the last segment of `path`, if it is one. */
function unionAt(root: z.core.$ZodType, path: KeyPath, input: unknown): ReturnType<typeof discriminatorOf> {
  if (path.length === 0) return undefined;
  const parent = schemaAt(root, path.slice(0, -1), input, false);
  const union = discriminatorOf(parent === undefined ? undefined : peel(parent));
  return union !== undefined && union.discriminator === String(path[path.length - 1]) ? union : undefined;
}

