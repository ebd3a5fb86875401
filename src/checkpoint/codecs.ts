/**
 * What the object-graph checkpoint (object-graph.ts) cannot see by walking fields: objects whose
 * state lives outside JavaScript (a native index, an ONNX session, a tfjs tensor, a closure's
 * generator state) register a codec that saves them as plain data and builds them again. A class
 * that is created only while a run goes on, and so has no twin in a freshly built run to take its
 * prototype from, registers without a codec.
 */

/** Saves an object as plain data (typed arrays, arrays, plain objects) and builds it again. */
export interface CheckpointCodec<T> {
  save(value: T): unknown;
  /** `twin`: the object at the same place in the freshly built run, if it is of the same class. */
  restore(state: unknown, twin: T | undefined): T;
}

interface Entry {
  readonly name: string;
  readonly prototype: object;
  readonly codec: CheckpointCodec<unknown> | undefined;
}

const byName = new Map<string, Entry>();
const byPrototype = new Map<object, Entry>();

/** A class, whatever its constructor's signature or visibility. */
type ClassOf<T> = { readonly prototype: T; readonly name: string };

/** Registers `cls` under `name` (its own name by default), with a codec for state a walk of its fields cannot reach. */
export function checkpointClass<T>(cls: ClassOf<T>, codec?: CheckpointCodec<T>, name = cls.name): void {
  const known = byName.get(name);
  if (known && known.prototype !== cls.prototype) throw new Error(`checkpoint: two classes registered as "${name}"`);
  const entry: Entry = { name, prototype: cls.prototype as object, codec: codec as CheckpointCodec<unknown> | undefined };
  byName.set(name, entry);
  byPrototype.set(entry.prototype, entry);
}

/** The codec of the nearest registered class on `value`'s prototype chain that has one. */
export function codecOf(value: object): { readonly name: string; readonly codec: CheckpointCodec<unknown> } | undefined {
  for (let proto = Object.getPrototypeOf(value) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    const entry = byPrototype.get(proto);
    if (entry?.codec) return { name: entry.name, codec: entry.codec };
  }
  return undefined;
}

/** The registered class of that name. */
export function registeredClass(name: string): Entry | undefined {
  return byName.get(name);
}
