/**
 * Walking the zod schema along a key path, to learn what a place in a scenario allows:
 * the keys of a mapping, the kinds of a discriminated union, the default a missing mapping
 * starts from. Unions with a discriminator follow the option the input selects.
 */
import type { z } from 'zod';
import type { KeyPath, PathSegment } from './paths.js';

type Schema = z.core.$ZodType;

/** Peels defaults, transforms and the like, and picks the union option the input's discriminator selects. */
function unwrap(schema: Schema, value: unknown): Schema {
  let current = schema;
  for (let guard = 0; guard < 100; guard++) {
    const def = current._zod.def;
    switch (def.type) {
      case 'default':
      case 'prefault':
      case 'optional':
      case 'nullable':
      case 'readonly':
      case 'nonoptional':
      case 'catch':
        current = (def as z.core.$ZodDefaultDef).innerType;
        break;
      case 'pipe':
        current = (def as z.core.$ZodPipeDef).in;
        break;
      case 'union': {
        const union = discriminatorOf(current);
        const wanted = typeof value === 'object' && value !== null && union ? (value as Record<string, unknown>)[union.discriminator] : undefined;
        // No tag written: the option whose tag has a default (world kind: population) applies.
        const option = union?.options.find((o) => (wanted === undefined ? o.defaulted : o.values.includes(String(wanted))));
        if (!option) return current;
        current = option.schema;
        break;
      }
      default:
        return current;
    }
  }
  return current;
}

export function schemaAt(root: Schema, path: KeyPath, input: unknown, unwrapLast = true): Schema | undefined {
  let schema = root;
  let value = input;
  for (const segment of path) {
    schema = unwrap(schema, value);
    const def = schema._zod.def;
    let next: Schema | undefined;
    if (def.type === 'object') {
      // Own keys only: `__proto__` or `constructor` in a --set path is not a field.
      const shape = (def as z.core.$ZodObjectDef).shape;
      next = Object.hasOwn(shape, segment) ? shape[String(segment)] : undefined;
    }
    else if (def.type === 'tuple' && typeof segment === 'number') next = (def as z.core.$ZodTupleDef).items[segment];
    else if (def.type === 'array') next = (def as z.core.$ZodArrayDef).element;
    if (!next) return undefined;
    schema = next;
    value = typeof value === 'object' && value !== null ? (value as Record<PathSegment, unknown>)[segment] : undefined;
  }
  return unwrapLast ? unwrap(schema, value) : schema;
}

export function objectKeys(schema: Schema | undefined): string[] | undefined {
  if (!schema || schema._zod.def.type !== 'object') return undefined;
  return Object.keys((schema._zod.def as z.core.$ZodObjectDef).shape);
}

export interface DiscriminatedUnion {
  readonly discriminator: string;
  readonly values: string[];
  /** `defaulted`: the option's tag may be left out (it has a default). */
  readonly options: { readonly values: string[]; readonly defaulted: boolean; readonly schema: Schema }[];
}

export function discriminatorOf(schema: Schema | undefined): DiscriminatedUnion | undefined {
  if (!schema || schema._zod.def.type !== 'union') return undefined;
  const def = schema._zod.def as z.core.$ZodDiscriminatedUnionDef;
  if (typeof def.discriminator !== 'string') return undefined;
  const options = def.options.map((option) => {
    const shape = option._zod.def.type === 'object' ? (option._zod.def as z.core.$ZodObjectDef).shape : {};
    const tag = shape[def.discriminator];
    const tagDef = tag ? unwrap(tag, undefined)._zod.def : undefined;
    const values = tagDef && tagDef.type === 'literal' ? (tagDef as z.core.$ZodLiteralDef<z.core.util.Literal>).values.map(String) : [];
    const defaulted = tag !== undefined && (tag._zod.def.type === 'default' || tag._zod.def.type === 'prefault');
    return { values, defaulted, schema: option };
  });
  return { discriminator: def.discriminator, values: options.flatMap((o) => o.values), options };
}

/** The input a missing mapping at this path defaults to (a `.prefault({...})` in the schema), if any. */
export function defaultInputAt(root: Schema, path: KeyPath, input: unknown): unknown {
  let schema = schemaAt(root, path, input, false);
  for (let guard = 0; schema && guard < 100; guard++) {
    const def = schema._zod.def;
    if (def.type === 'prefault') {
      const value: unknown = (def as z.core.$ZodPrefaultDef).defaultValue;
      return typeof value === 'object' && value !== null ? value : undefined;
    }
    if (def.type !== 'optional' && def.type !== 'nullable' && def.type !== 'default') return undefined;
    schema = (def as z.core.$ZodDefaultDef).innerType;
  }
  return undefined;
}

/** Peels defaults and the like, down to the object or union that validates the value (a union's option is not chosen). */
export function peel(schema: Schema): Schema {
  let current = schema;
  for (let guard = 0; guard < 100; guard++) {
    const def = current._zod.def;
    if (def.type === 'pipe') current = (def as z.core.$ZodPipeDef).in;
    else if (['default', 'prefault', 'optional', 'nullable', 'readonly', 'nonoptional', 'catch'].includes(def.type)) {
      current = (def as z.core.$ZodDefaultDef).innerType;
    } else return current;
  }
  return current;
}

/**
 * Keys every option of the union has (the tag included): what is kept when the tag changes,
 * since the other keys belong to the option being replaced.
 */
export function sharedKeys(union: DiscriminatedUnion): string[] {
  const keySets = union.options.map((option) => objectKeys(option.schema) ?? []);
  return keySets.length === 0 ? [] : keySets[0].filter((key) => keySets.every((keys) => keys.includes(key)));
}
