/**
 * Which parts of a running simulation hold its typed memory: every ArrayBuffer,
 * SharedArrayBuffer and WebAssembly memory reachable from a root object, each counted once, by
 * its length (pages never written may not be resident), and charged to the shortest property
 * path that reaches it (breadth first), the paths cut after `depth` named properties (a view
 * over part of a buffer is charged to the object holding it). Array elements and map and set
 * entries are followed but add no name, so a list of epochs adds up under one owner. Only what
 * properties reach is seen: buffers held by closures or module-level caches are not. V8's own
 * `arrayBuffers` figure leaves WebAssembly memories out, so the total can fall short of it or
 * pass it.
 */

export interface MemoryOwner {
  readonly path: string;
  readonly bytes: number;
  readonly buffers: number;
}

/** Owners of the typed memory reachable from `root`, largest first. */
export function typedMemoryByOwner(root: object, rootName: string, depth: number): MemoryOwner[] {
  const seen = new Set<unknown>();
  const buffers = new Set<unknown>();
  const owners = new Map<string, { bytes: number; buffers: number }>();
  // A queue read by index: shift() would make the walk quadratic in the objects it meets.
  const queue: { value: unknown; path: string; names: number }[] = [{ value: root, path: rootName, names: 0 }];
  for (let next = 0; next < queue.length; next++) {
    const { value, path, names } = queue[next];
    queue[next] = RELEASED;
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    const buffer = backingBuffer(value);
    if (buffer) {
      if (buffers.has(buffer)) continue;
      buffers.add(buffer);
      const owner = owners.get(path) ?? { bytes: 0, buffers: 0 };
      owner.bytes += buffer.byteLength;
      owner.buffers++;
      owners.set(path, owner);
      continue;
    }
    const child = (name: string | null, v: unknown): void => {
      if (v === null || typeof v !== 'object') return;
      // A view over part of a larger buffer (columns of one allocation) names its holder, not itself.
      const part = ArrayBuffer.isView(v) && v.byteLength < v.buffer.byteLength;
      const named = name !== null && names < depth && !part;
      queue.push({ value: v, path: named ? `${path}.${name}` : path, names: named ? names + 1 : names });
    };
    if (value instanceof Map) {
      for (const [k, v] of value) {
        child(null, k);
        child(null, v);
      }
    } else if (value instanceof Set) {
      for (const v of value) child(null, v);
    } else if (Array.isArray(value)) {
      for (const v of value) child(null, v);
    } else {
      for (const name of Object.getOwnPropertyNames(value)) {
        const descriptor = Object.getOwnPropertyDescriptor(value, name);
        // Getters are not called: reading one may compute, or allocate what it reports.
        if (descriptor && 'value' in descriptor) child(name, descriptor.value);
      }
    }
  }
  return [...owners].map(([path, { bytes, buffers: count }]) => ({ path, bytes, buffers: count })).sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
}

/** What a read queue entry is replaced with, so the walk does not keep what it has passed alive. */
const RELEASED = { value: undefined, path: '', names: 0 } as const;

/** WebAssembly.Memory (the project's TypeScript libs do not declare WebAssembly). */
const WasmMemory = (globalThis as { WebAssembly?: { Memory: abstract new (...args: never[]) => { readonly buffer: ArrayBuffer } } }).WebAssembly?.Memory;

function backingBuffer(value: object): ArrayBufferLike | undefined {
  if (ArrayBuffer.isView(value)) return value.buffer;
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return value;
  if (WasmMemory && value instanceof WasmMemory) return value.buffer;
  return undefined;
}
