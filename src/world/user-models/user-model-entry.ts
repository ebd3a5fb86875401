/**
 * How a user model declares itself to the registry (registry.ts): its name (the scenario's
 * `world.users.kind`), the `world.users` fields it takes besides the population's own (count,
 * sign-ups, countries), and how to build it from the world's parts.
 */
import type { z } from 'zod';
import type { KeyedStream } from '../../rng/index.js';
import type { WorldConfig } from '../schema.js';
import type { Items } from '../items.js';
import type { UserModel } from '../user-model.js';

/** A world whose `users` section is the one of user model `Kind`. */
export type WorldWithUsers<Kind extends string> = WorldConfig & { readonly users: Extract<WorldConfig['users'], { readonly kind: Kind }> };

/** What a user model is built from: the world's settings, its items, and the keyed streams its users draw from. */
export interface UserModelContext<Config extends WorldConfig = WorldConfig> {
  readonly config: Config;
  readonly items: Items;
  readonly rng: { readonly choice: KeyedStream; readonly response: KeyedStream; readonly sessions: KeyedStream };
}

export interface UserModelEntry<Name extends string = string, Shape extends z.core.$ZodLooseShape = z.core.$ZodLooseShape> {
  readonly name: Name;
  /** The model's own `world.users` fields, with defaults. */
  readonly fields: Shape;
  build(context: UserModelContext): UserModel;
}

export function defineUserModel<const Name extends string, Shape extends z.core.$ZodLooseShape>(spec: {
  readonly name: Name;
  readonly fields: Shape;
  readonly build: (context: UserModelContext<WorldWithUsers<Name>>) => UserModel;
}): UserModelEntry<Name, Shape> {
  return {
    name: spec.name,
    fields: spec.fields,
    build(context) {
      const { config } = context;
      if (!usersOfKind(config, spec.name)) throw new Error(`user model ${spec.name} built from the settings of ${config.users.kind}`);
      return spec.build({ ...context, config });
    },
  };
}

function usersOfKind<Kind extends string>(config: WorldConfig, kind: Kind): config is WorldWithUsers<Kind> {
  return config.users.kind === kind;
}
