/**
 * The bench's typed-memory walk (bench/support/typed-memory.ts): each buffer counted once, charged
 * to the shortest path that reaches it, views over part of a buffer charged to their holder.
 */
import { describe, expect, it } from 'vitest';
import { typedMemoryByOwner } from '../bench/support/typed-memory.js';

describe('typedMemoryByOwner', () => {
  it('counts a shared buffer once, at the shortest path, and follows arrays, maps and sets', () => {
    const shared = new Float64Array(100); // 800 bytes
    const columns = new ArrayBuffer(64);
    const root = {
      near: { values: shared },
      far: { deeper: { again: { values: shared } } },
      log: [{ table: { time: new Float64Array(columns, 0, 4), ids: new Int32Array(columns, 32, 8) } }],
      byKey: new Map([['a', new Uint8Array(10)]]),
      members: new Set([new Int16Array(5)]),
      get computed(): Float32Array {
        throw new Error('a getter must not be called');
      },
    };
    const owners = typedMemoryByOwner(root, 'root', 6);
    expect(owners).toEqual([
      { path: 'root.near.values', bytes: 800, buffers: 1 },
      { path: 'root.log.table', bytes: 64, buffers: 1 },
      { path: 'root.byKey', bytes: 10, buffers: 1 },
      { path: 'root.members', bytes: 10, buffers: 1 },
    ]);
  });

  it('cuts paths after `depth` names and adds up what lies below', () => {
    const root = { a: { b: { c: new Float32Array(4), d: new Float32Array(4) } } };
    expect(typedMemoryByOwner(root, 'r', 2)).toEqual([{ path: 'r.a.b', bytes: 32, buffers: 2 }]);
    expect(typedMemoryByOwner(root, 'r', 3)).toEqual([
      { path: 'r.a.b.c', bytes: 16, buffers: 1 },
      { path: 'r.a.b.d', bytes: 16, buffers: 1 },
    ]);
  });
});
