/**
 * An experiment arm's recommender: the base `recommender` section with the arm's overrides
 * merged in. Mappings merge key by key; lists and scalars replace. Where the tag of a
 * discriminated union changes (an arm with `kind: random` over a popularity base, another
 * exploration policy), only the keys every option of that union shares are kept from the base
 * (slate size, retraining, start-up, ...): the other keys belong to the option being replaced.
 */
import type { z } from 'zod';
import { markDefaults } from './issues.js';
import { recommender as recommenderSchema } from './recommender-schema.js';
import { discriminatorOf, peel, sharedKeys } from './schema-walk.js';
import type { RecommenderConfig } from './schema.js';

type Schema = z.core.$ZodType;
type Plain = Record<string, unknown>;

/** The key in an arm that is not a recommender override. */
export const ARM_TRAFFIC_KEY = 'traffic';

/** The arm's overrides: everything it says except its traffic share. */
export function armOverrides(arm: Readonly<Plain>): Plain {
  const { [ARM_TRAFFIC_KEY]: _traffic, ...overrides } = arm;
  return overrides;
}

/** The input the arm's recommender is validated from (not yet validated). */
export function armRecommenderInput(base: RecommenderConfig, arm: Readonly<Plain>): Plain {
  return mergeOverrides(recommenderSchema, base, armOverrides(arm)) as Plain;
}

/** The arm's validated recommender; throws when the arm is not valid (loaded scenarios are). */
export function resolveArmRecommender(base: RecommenderConfig, arm: Readonly<Plain>): RecommenderConfig {
  const result = recommenderSchema.safeParse(armRecommenderInput(base, arm), { error: markDefaults });
  if (!result.success) throw new Error(`invalid arm recommender: ${result.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return result.data;
}

function mergeOverrides(schema: Schema | undefined, base: unknown, override: unknown): unknown {
  if (!isPlain(override) || !isPlain(base)) return override;
  let node = schema === undefined ? undefined : peel(schema);
  let start: Plain = base;
  const union = discriminatorOf(node);
  if (union) {
    const tag = union.discriminator;
    const changes = tag in override && override[tag] !== base[tag];
    if (changes) start = pick(base, sharedKeys(union));
    const chosen = String(changes ? override[tag] : base[tag]);
    node = union.options.find((option) => option.values.includes(chosen))?.schema;
  }
  const shape = node !== undefined && node._zod.def.type === 'object' ? (node._zod.def as z.core.$ZodObjectDef).shape : undefined;
  const merged: Plain = { ...start };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = key in start ? mergeOverrides(shape?.[key], start[key], value) : value;
  }
  return merged;
}

function pick(value: Plain, keys: readonly string[]): Plain {
  const picked: Plain = {};
  for (const key of keys) if (key in value) picked[key] = value[key];
  return picked;
}

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
