/**
 * A scenario entry that names a user's own component by file instead of a built-in by name:
 * `{ <tag>: module, path: ./my-file.ts, ...its options }`, the same shape for every kind
 * (`kind:` in recommender and in world.users, `source:` in candidates, `policy:` in
 * exploration, `family:` in metrics.plugins). The scenario schema accepts it with any options; the plug-in loader
 * (src/plugins/resolve.ts) loads the file, checks the options with the schema the plug-in declares and
 * keeps the component in its kind's slot, where the kind's registry finds it when it builds.
 * It imports no component (only zod), so every registry, the world's included, may import it.
 */
import { z } from 'zod';

/** The tag value that says "a component from a file". */
export const MODULE = 'module';

const path = z.string({ error: 'expected the path of a TypeScript or JavaScript file (relative to the scenario file, or absolute)' }).min(1, 'expected a file path');

export type ModuleEntrySchema<Tag extends string, S extends z.ZodRawShape = Record<never, never>> = z.ZodObject<
  Record<Tag, z.ZodLiteral<typeof MODULE>> & { path: typeof path } & S,
  z.core.$loose
>;

/** The scenario schema's option for a plug-in of a kind tagged by `tag`; `shared` are fields every option of the kind has. */
export function moduleEntry<Tag extends string, S extends z.ZodRawShape = Record<never, never>>(tag: Tag, shared?: S): ModuleEntrySchema<Tag, S> {
  return z.looseObject({ [tag]: z.literal(MODULE), path, ...shared }) as ModuleEntrySchema<Tag, S>;
}

/** A validated plug-in entry: its tag, its file, and the options the plug-in's own schema reads. */
export type ModuleEntry = Readonly<Record<string, unknown>> & { readonly path: string };

/** The entry as the plug-in's own schema reads it: `path` removed, the tag set to the plug-in's name. */
export function pluginConfig(entry: Readonly<Record<string, unknown>>, tag: string, name: string): Record<string, unknown> {
  const { path: _path, ...options } = entry;
  return { ...options, [tag]: name };
}

/**
 * The components of one kind loaded from files, by absolute path. Filled by the plug-in loader
 * when a scenario is loaded; read by the kind's registry when it builds.
 */
export class PluginSlot<T> {
  private readonly byPath = new Map<string, T>();

  constructor(readonly what: string) {}

  remember(path: string, component: T): void {
    this.byPath.set(path, component);
  }

  /** The component loaded from the file, or undefined when it has not been loaded (yet). */
  find(path: string): T | undefined {
    return this.byPath.get(path);
  }

  get(path: string): T {
    const component = this.byPath.get(path);
    if (component === undefined) {
      throw new Error(`the ${this.what} plug-in ${path} was not loaded; scenarios naming plug-ins must be loaded with the plug-in loader (src/plugins/resolve.ts)`);
    }
    return component;
  }
}
