/**
 * A checkpoint of a whole run as one object graph: everything reachable from the root through
 * fields, array slots and map entries is saved as plain data (typed arrays as they are), with
 * shared objects and cycles kept; classes are saved by name.
 *
 * Restoring needs a twin: the same run freshly built from the scenario. Each saved object is laid
 * over the twin's object at the same place (same class), which keeps what a walk of fields cannot
 * carry: functions and closures bound to the twin's objects, and identity seen by code that holds
 * the twin's objects. Objects the twin lacks are made afresh with their class's prototype, found
 * in the twin, registered (codecs.ts) or exported (class-index.ts). State outside JavaScript goes
 * through a class's codec.
 *
 * Kept from the twin, never saved: functions, frozen objects found at the same place (the
 * scenario and other build-time constants), and weak collections (caches keyed by objects that
 * are themselves restored in place).
 */
import { codecOf, registeredClass } from './codecs.js';
import { GraphReader, GraphWriter, type Encoded, type GraphSnapshot } from './graph-code.js';

export type { GraphSnapshot } from './graph-code.js';

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

/** `[object Object]` for plain objects and class instances; anything else is a built-in (or native) kind. */
const tagOf = (value: object): string => Object.prototype.toString.call(value);

function isBinary(value: object): value is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

function className(value: object): string {
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  if (proto === null) return '-';
  if (proto === Object.prototype) return '';
  return proto.constructor?.name ?? '?';
}

/** Where each node was first reached, to name it in errors: its parent node and the field or slot. */
class Places {
  private readonly parents: number[] = [];
  /** A field name or an array index, made into a path only when an error needs one. */
  private readonly keys: (string | number)[] = [];

  add(parent: number, key: string | number): void {
    this.parents.push(parent);
    this.keys.push(key);
  }

  path(id: number): string {
    const parts: string[] = [];
    for (let at = id; at >= 0; at = this.parents[at]) {
      const key = this.keys[at];
      parts.push(typeof key === 'number' ? `[${key}]` : at === 0 || MEMBERS.has(key) ? key : field(key));
    }
    return parts.reverse().join('');
  }
}

/** How a map's or a set's members show in a path. */
const MEMBERS = new Set(['{key}', '{value}', '{item}']);

/** `.name`, or `["a name"]` where it is not an identifier. */
function field(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** Saves everything reachable from `root`. */
export function snapshotGraph(root: unknown, rootName = 'run'): GraphSnapshot {
  const ids = new Map<object, number>();
  const objects: object[] = [];
  const places = new Places();
  const out = new GraphWriter();

  const write = (value: unknown, parent: number, key: string | number): void => {
    if (typeof value === 'function') return out.keep();
    if (typeof value === 'symbol') throw new CheckpointError(`cannot checkpoint ${places.path(parent)}${typeof key === 'number' ? `[${key}]` : field(key)}: a symbol`);
    if (value === null || typeof value !== 'object') return out.primitive(value as Exclude<Encoded, object>);
    if (value instanceof WeakMap || value instanceof WeakSet) return out.keep();
    const known = ids.get(value);
    if (known !== undefined) return out.ref(known);
    const id = objects.length;
    ids.set(value, id);
    objects.push(value);
    places.add(parent, key);
    out.ref(id);
  };

  write(root, -1, rootName);
  for (let id = 0; id < objects.length; id++) {
    const value = objects[id];
    if (value instanceof ArrayBuffer) {
      out.buffer(value);
    } else if (ArrayBuffer.isView(value)) {
      // By its buffer, so views that share one still do (v8's serializer copies each view apart).
      if (!(value.buffer instanceof ArrayBuffer)) throw new CheckpointError(`cannot checkpoint ${places.path(id)}: a view of a SharedArrayBuffer, which other threads hold`);
      const length = value instanceof DataView ? value.byteLength : (value as unknown as { length: number }).length;
      out.view(value.constructor.name, value.byteOffset, length);
      write(value.buffer, id, 'buffer');
    } else if (Array.isArray(value)) {
      const items = value as unknown[];
      out.array(items.length, Object.isFrozen(items));
      for (let i = 0; i < items.length; i++) write(items[i], id, i);
    } else if (value instanceof Map) {
      out.map(value.size);
      for (const [k, v] of value as Map<unknown, unknown>) {
        write(k, id, '{key}');
        write(v, id, '{value}');
      }
    } else if (value instanceof Set) {
      out.set(value.size);
      for (const item of value as Set<unknown>) write(item, id, '{item}');
    } else {
      const codec = codecOf(value);
      if (codec) {
        out.codec(codec.name, codec.codec.save(value));
        continue;
      }
      if (tagOf(value) !== '[object Object]') {
        throw new CheckpointError(`cannot checkpoint ${places.path(id)}: a ${tagOf(value).slice(8, -1)}, whose state a walk of fields cannot reach; register a codec for the class that owns it`);
      }
      const names: string[] = [];
      const values: unknown[] = [];
      for (const name of Object.getOwnPropertyNames(value)) {
        const descriptor = Object.getOwnPropertyDescriptor(value, name);
        if (!descriptor || !('value' in descriptor)) continue;
        names.push(name);
        values.push(descriptor.value);
      }
      out.object(className(value), names, Object.isFrozen(value));
      for (let i = 0; i < names.length; i++) write(values[i], id, names[i]);
    }
  }
  return out.finish();
}

/** Every class instance reachable from `root`, by class name (undefined where two classes share one). */
function prototypesIn(root: unknown): Map<string, object | undefined> {
  const seen = new Set<object>();
  const found = new Map<string, object | undefined>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object' || seen.has(value) || isBinary(value)) continue;
    seen.add(value);
    // One push per member: spreading an array of a large world's users into push overflows the stack.
    if (Array.isArray(value)) for (const item of value as unknown[]) stack.push(item);
    else if (value instanceof Map) for (const [k, v] of value as Map<unknown, unknown>) stack.push(k, v);
    else if (value instanceof Set) for (const item of value as Set<unknown>) stack.push(item);
    else if (tagOf(value) === '[object Object]') {
      const name = className(value);
      if (name !== '' && name !== '-') {
        const proto = Object.getPrototypeOf(value) as object;
        const known = found.get(name);
        found.set(name, found.has(name) && known !== proto ? undefined : proto);
      }
      for (const name of Object.getOwnPropertyNames(value)) {
        const descriptor = Object.getOwnPropertyDescriptor(value, name);
        if (descriptor && 'value' in descriptor) stack.push(descriptor.value);
      }
    }
  }
  return found;
}

/**
 * Lays `snapshot` over `twin`, the same run freshly built, and returns the restored root (the
 * twin's own root object, now holding the saved state).
 */
export function restoreGraph<T>(snapshot: GraphSnapshot, twin: T, classes: ReadonlyMap<string, object | undefined> = new Map()): T {
  const nodes = new GraphReader(snapshot);
  const made = new Map<number, unknown>();
  const used = new Set<object>();
  const fills: Array<() => void> = [];
  let prototypes: Map<string, object | undefined> | undefined;

  const prototypeOf = (name: string, where: string): object => {
    const registered = registeredClass(name);
    if (registered) return registered.prototype;
    prototypes ??= prototypesIn(twin);
    const proto = prototypes.get(name) ?? classes.get(name);
    if (proto) return proto;
    const why = prototypes.has(name) || classes.has(name) ? 'two classes have that name' : 'no module of the run exports it';
    throw new CheckpointError(`cannot restore ${where}: an object of class ${name}, and ${why}; register it with checkpointClass`);
  };

  const take = <V extends object>(candidate: unknown, fits: (value: object) => value is V): V | undefined => {
    if (candidate === null || typeof candidate !== 'object' || used.has(candidate) || !fits(candidate)) return undefined;
    used.add(candidate);
    return candidate;
  };

  const decode = (value: Encoded, twinValue: unknown, where: string): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if ('k' in value) {
      if (twinValue === undefined) throw new CheckpointError(`cannot restore ${where}: a function or weak collection the freshly built run does not have`);
      return twinValue;
    }
    return obtain(value.$, twinValue, where);
  };

  const obtain = (id: number, twinValue: unknown, where: string): unknown => {
    if (made.has(id)) return made.get(id);
    const node = nodes.node(id);
    switch (node[0]) {
      case 'buffer': {
        made.set(id, node[1]);
        return node[1];
      }
      case 'view': {
        const [, kind, buffer, byteOffset, length] = node;
        const View = (globalThis as unknown as Record<string, new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView>)[kind];
        const view = new View(decode(buffer, undefined, `${where}.buffer`) as ArrayBuffer, byteOffset, length);
        made.set(id, view);
        return view;
      }
      case 'codec': {
        const entry = registeredClass(node[1]);
        if (!entry?.codec) throw new CheckpointError(`cannot restore ${where}: no codec registered for ${node[1]}`);
        const own = take(twinValue, (v): v is object => Object.prototype.isPrototypeOf.call(entry.prototype, v));
        const value = entry.codec.restore(node[2], own);
        made.set(id, value);
        return value;
      }
      case 'array': {
        const [, items, frozen] = node;
        const own = frozen ? undefined : take(twinValue, (v): v is unknown[] => Array.isArray(v) && !Object.isFrozen(v));
        const target: unknown[] = own ?? [];
        made.set(id, target);
        const old = own ? own.slice() : [];
        fills.push(() => {
          target.length = items.length;
          for (let i = 0; i < items.length; i++) target[i] = decode(items[i], old[i], `${where}[${i}]`);
          if (frozen) Object.freeze(target);
        });
        return target;
      }
      case 'map': {
        const [, keys, values] = node;
        const own = take(twinValue, (v): v is Map<unknown, unknown> => v instanceof Map);
        const target = own ?? new Map<unknown, unknown>();
        made.set(id, target);
        const old = new Map(own ?? []);
        fills.push(() => {
          target.clear();
          for (let i = 0; i < keys.length; i++) {
            const key = decode(keys[i], undefined, `${where}{key}`);
            target.set(key, decode(values[i], old.get(key), `${where}{${String(key)}}`));
          }
        });
        return target;
      }
      case 'set': {
        const [, items] = node;
        const own = take(twinValue, (v): v is Set<unknown> => v instanceof Set);
        const target = own ?? new Set<unknown>();
        made.set(id, target);
        fills.push(() => {
          target.clear();
          for (const item of items) target.add(decode(item, undefined, `${where}{item}`));
        });
        return target;
      }
      case 'object': {
        const [, name, names, values, frozen] = node;
        const sameClass = (v: object): v is Record<string, unknown> => tagOf(v) === '[object Object]' && className(v) === name;
        if (frozen) {
          const own = take(twinValue, (v): v is Record<string, unknown> => sameClass(v) && Object.isFrozen(v));
          if (own) {
            made.set(id, own);
            return own;
          }
        }
        const own = frozen ? undefined : take(twinValue, (v): v is Record<string, unknown> => sameClass(v) && !Object.isFrozen(v));
        const target: Record<string, unknown> =
          own ?? (Object.create(name === '' ? Object.prototype : name === '-' ? null : prototypeOf(name, where)) as Record<string, unknown>);
        made.set(id, target);
        fills.push(() => {
          const old: Record<string, unknown> = {};
          const saved = own ? new Set(names) : undefined;
          for (const key of own ? Object.getOwnPropertyNames(own) : []) {
            const descriptor = Object.getOwnPropertyDescriptor(own, key);
            if (!descriptor || !('value' in descriptor)) continue;
            old[key] = descriptor.value;
            if (!saved?.has(key)) delete target[key];
          }
          for (let i = 0; i < names.length; i++) target[names[i]] = decode(values[i], old[names[i]], `${where}.${names[i]}`);
          if (frozen) Object.freeze(target);
        });
        return target;
      }
    }
  };

  const root = decode(nodes.root, twin, 'run') as T;
  for (let i = 0; i < fills.length; i++) fills[i]();
  return root;
}
