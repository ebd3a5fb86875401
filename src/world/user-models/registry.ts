/**
 * Every user model the scenario can name in `world.users.kind`; the first is the default.
 * The `world.users` schema derives from this list: the population's own fields plus each
 * model's. Adding a model: its own file (see satisfaction.ts) and one line here.
 */
import { z } from 'zod';
import { count, positiveCount, rate } from '../../settings/fields.js';
import type { UserModel } from '../user-model.js';
import type { UserModelContext } from './user-model-entry.js';
import { satisfactionUsers } from './satisfaction.js';

export const USER_MODELS = [satisfactionUsers] as const;

export type UserModelName = (typeof USER_MODELS)[number]['name'];
export const USER_MODEL_NAMES: readonly UserModelName[] = USER_MODELS.map((entry) => entry.name);

const first = USER_MODELS[0];
const rest = USER_MODELS.slice(1);

/** One option of `world.users`: who is in the population, the model's own fields, and its name last. */
function option<Kind extends z.ZodType, Shape extends z.core.$ZodLooseShape>(kind: Kind, fields: Shape) {
  return z.strictObject({
    count: count.default(2000),
    signups_per_day: rate.default(0),
    ...fields,
    countries: positiveCount.default(8),
    kind,
  });
}

/** `world.users`: `kind` may be left out for the first model. */
export const usersSchema = z
  .discriminatedUnion('kind', [option(z.literal(first.name).default(first.name), first.fields), ...rest.map((entry) => option(z.literal(entry.name), entry.fields))], {
    error: `expected kind: ${USER_MODEL_NAMES.join(', ')}`,
  })
  .prefault({});

export function buildUserModel(context: UserModelContext): UserModel {
  const entry = USER_MODELS.find((candidate) => candidate.name === context.config.users.kind);
  if (!entry) throw new Error(`unknown user model ${context.config.users.kind}`);
  return entry.build(context);
}
