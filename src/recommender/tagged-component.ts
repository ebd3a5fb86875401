/**
 * The shape shared by pipeline components a scenario picks by a tag (`policy:` for exploration,
 * `source:` for candidate sources): a name, settings as zod fields with their defaults, and a
 * builder that reads its own settings. The tag is added to the schema, and the erased `build`
 * re-reads the config with that schema, so a registry can build from the union without casts.
 */
import { z } from 'zod';

export type TaggedSchema<Tag extends string, N extends string, S extends z.ZodRawShape> = z.ZodObject<Record<Tag, z.ZodLiteral<N>> & S, z.core.$strict>;

export interface TaggedComponent<Tag extends string, N extends string, S extends z.ZodRawShape, Ctx, Built> {
  readonly name: N;
  /** The component's scenario entry, its tag included. */
  readonly schema: TaggedSchema<Tag, N, S>;
  /** Builds it from its entry (read with `schema`, so any config that names this component will do). */
  readonly build: (config: unknown, ctx: Ctx) => Built;
}

export function taggedComponent<Tag extends string, N extends string, S extends z.ZodRawShape, Ctx, Built>(
  tag: Tag,
  name: N,
  settings: S,
  build: (config: z.output<TaggedSchema<Tag, N, S>>, ctx: Ctx) => Built,
): TaggedComponent<Tag, N, S, Ctx, Built> {
  const schema = z.strictObject({ [tag]: z.literal(name), ...settings }) as TaggedSchema<Tag, N, S>;
  return { name, schema, build: (config, ctx) => build(schema.parse(config), ctx) };
}

/** The schemas of a registry's components, in order, as the tuple a discriminated union takes. */
export function componentSchemas<const T extends readonly [{ readonly schema: z.ZodObject }, ...{ readonly schema: z.ZodObject }[]]>(
  components: T,
): { -readonly [K in keyof T]: T[K]['schema'] } {
  // map keeps order and length; TypeScript only loses that it is still a tuple.
  return components.map((c) => c.schema) as { -readonly [K in keyof T]: T[K]['schema'] };
}
