/**
 * Every user model the scenario can name in `world.users.kind`; the first is the default.
 * The `world.users` schema derives from this list: the population's own fields plus each
 * model's. Adding a model: its own file (see satisfaction.ts) and one line here.
 */
import { z } from 'zod';
import { MODULE, moduleEntry, PluginSlot } from '../../settings/module-entry.js';
import { count, positiveCount, rate } from '../../settings/fields.js';
import type { UserModel } from '../user-model.js';
import type { UserModelContext, UserModelEntry } from './user-model-entry.js';
import { satisfactionUsers } from './satisfaction.js';

export const USER_MODELS = [satisfactionUsers] as const;

export type UserModelName = (typeof USER_MODELS)[number]['name'];
export const USER_MODEL_NAMES: readonly UserModelName[] = USER_MODELS.map((entry) => entry.name);

const first = USER_MODELS[0];
const rest = USER_MODELS.slice(1);

/** Who is in the population, whatever the model: every option of `world.users` has these. */
export const POPULATION_FIELDS = {
  count: count.default(2000),
  signups_per_day: rate.default(0),
  countries: positiveCount.default(8),
};

/** One option of `world.users`: who is in the population, the model's own fields, and its name last. */
export function usersOption<Kind extends z.ZodType, Shape extends z.core.$ZodLooseShape>(kind: Kind, fields: Shape) {
  const { count, signups_per_day, countries } = POPULATION_FIELDS;
  return z.strictObject({ count, signups_per_day, ...fields, countries, kind });
}

/** User models from users' own files (`kind: module`), loaded with the scenario (src/plugins). */
export const USER_MODEL_PLUGINS = new PluginSlot<UserModelEntry>('user model');

/** `world.users`: `kind` may be left out for the first model. */
export const usersSchema = z
  .discriminatedUnion(
    'kind',
    [
      usersOption(z.literal(first.name).default(first.name), first.fields),
      ...rest.map((entry) => usersOption(z.literal(entry.name), entry.fields)),
      moduleEntry('kind', POPULATION_FIELDS),
    ],
    { error: `expected kind: ${USER_MODEL_NAMES.join(', ')} or ${MODULE} (with path: a file of your own)` },
  )
  .prefault({});

export function buildUserModel(context: UserModelContext): UserModel {
  // A plug-in reads its own fields from `users` (kind: module, path and its options, checked when loaded).
  const { users } = context.config;
  if (users.kind === MODULE) return USER_MODEL_PLUGINS.get(users.path).build(context);
  const entry = USER_MODELS.find((candidate) => candidate.name === context.config.users.kind);
  if (!entry) throw new Error(`unknown user model ${context.config.users.kind}`);
  return entry.build(context);
}
