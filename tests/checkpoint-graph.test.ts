/**
 * The object-graph checkpoint on hand-made graphs: what is saved, what is laid over the freshly
 * built twin, what is kept from it, and the errors that name where a graph cannot be saved or
 * restored. Every snapshot goes through v8's serializer, as the checkpoint file does.
 */
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { checkpointClass } from '../src/checkpoint/codecs.js';
import { CheckpointError, restoreGraph, snapshotGraph, type GraphSnapshot } from '../src/checkpoint/object-graph.js';
import { Rng } from '../src/rng/index.js';

const throughFile = (snapshot: GraphSnapshot): GraphSnapshot => deserialize(serialize(snapshot)) as GraphSnapshot;

class Counter {
  count = 0;
  readonly onTick: () => number;
  constructor(readonly label: string) {
    this.onTick = () => ++this.count;
  }
}

class Made {
  constructor(readonly values: number[]) {}
  total(): number {
    return this.values.reduce((a, b) => a + b, 0);
  }
}

class Holder {
  counter = new Counter('a');
  made: Made | undefined = undefined;
  shared: { n: number }[] = [];
  byUser = new Map<number, { seen: Set<number> }>();
  buffer = new Float32Array(4);
  view = this.buffer.subarray(1, 3);
  readonly config = Object.freeze({ rate: 0.5 });
}

describe('snapshotGraph and restoreGraph', () => {
  it('lay the saved state over a fresh twin: fields, shared objects, cycles, maps, sets and typed arrays', () => {
    const run = new Holder();
    run.counter.onTick();
    run.counter.onTick();
    run.made = new Made([1, 2, 3]);
    const one = { n: 1 };
    run.shared.push(one, one, { n: 2 });
    run.byUser.set(7, { seen: new Set([3, 4]) });
    run.buffer.set([1, 2, 3, 4]);
    const cycle: { self?: unknown } = {};
    cycle.self = cycle;
    run.shared.push(cycle as { n: number });

    const twin = new Holder();
    const twinCounter = twin.counter;
    const twinConfig = twin.config;
    const twinShared = twin.shared;
    const twinByUser = twin.byUser;
    const restored = restoreGraph(throughFile(snapshotGraph(run)), twin, new Map([['Made', Made.prototype]]));

    expect(restored).toBe(twin);
    expect(restored.counter).toBe(twinCounter); // laid over in place: code holding it sees the state
    expect(restored.counter.count).toBe(2);
    expect(restored.counter.onTick()).toBe(3); // the twin's closure, bound to the restored object
    expect(restored.made).toBeInstanceOf(Made); // made afresh: the twin has none
    expect(restored.made?.total()).toBe(6);
    expect(restored.shared[0]).toBe(restored.shared[1]);
    expect(restored.shared[2]).toEqual({ n: 2 });
    const restoredCycle = restored.shared[3] as unknown as { self: unknown };
    expect(restoredCycle.self).toBe(restoredCycle);
    expect([...(restored.byUser.get(7)?.seen ?? [])]).toEqual([3, 4]);
    expect(Array.from(restored.view)).toEqual([2, 3]);
    restored.buffer[1] = 20;
    expect(restored.view[0]).toBe(20); // the view still shares the buffer
    expect(restored.config).toBe(twinConfig); // frozen: the twin's own
    expect(restored.shared).toBe(twinShared); // containers laid over in place too
    expect(restored.byUser).toBe(twinByUser);
  });

  it('lay saved members over the twin members of the same place and class, and only once each', () => {
    class Cell {
      constructor(public value: number) {}
    }
    const saved = { cells: [new Cell(1), new Cell(2)], byKey: new Map([['a', new Cell(3)]]), pair: [new Cell(4), new Cell(5)] };
    const first = new Cell(0);
    const second = new Cell(0);
    const keyed = new Cell(0);
    const shared = new Cell(0);
    // The twin's `pair` holds one object twice where the saved run had two: the second is made afresh.
    const twin = { cells: [first, second], byKey: new Map([['a', keyed]]), pair: [shared, shared] };
    const restored = restoreGraph(throughFile(snapshotGraph(saved)), twin);
    expect(restored.cells[0]).toBe(first);
    expect(restored.cells[1]).toBe(second);
    expect(restored.cells.map((c) => c.value)).toEqual([1, 2]);
    expect(restored.byKey.get('a')).toBe(keyed);
    expect(keyed.value).toBe(3);
    expect(restored.pair[0]).toBe(shared);
    expect(restored.pair[1]).not.toBe(shared);
    expect(restored.pair[1]).toBeInstanceOf(Cell); // its class found elsewhere in the twin
    expect(restored.pair.map((c) => c.value)).toEqual([4, 5]);
  });

  it('make afresh what the twin has of another kind or class at that place, frozen arrays included', () => {
    class A {
      x = 1;
    }
    class B {
      x = 2;
    }
    const saved = { slot: new A(), list: [1, 2] as number[] | Map<number, number>, fixed: Object.freeze([3, 4]) as readonly number[] };
    const twinB = new B();
    const twinMap = new Map<number, number>();
    const twinFixed = Object.freeze([9]);
    const restored = restoreGraph(throughFile(snapshotGraph(saved)), { slot: twinB as unknown as A, list: twinMap as number[] | Map<number, number>, fixed: twinFixed as readonly number[] }, new Map([['A', A.prototype]]));
    expect(restored.slot).toBeInstanceOf(A);
    expect(restored.slot).not.toBe(twinB);
    expect(restored.list).toEqual([1, 2]);
    expect(restored.fixed).toEqual([3, 4]);
    expect(restored.fixed).not.toBe(twinFixed);
    expect(Object.isFrozen(restored.fixed)).toBe(true);
    expect(Object.isFrozen(restored.list)).toBe(false);
  });

  it('carry nulls, sets, objects without a prototype and weak caches, and make afresh what the twin froze', () => {
    const bare = Object.create(null) as Record<string, number>;
    bare.n = 1;
    const cache = new WeakMap<object, number>();
    const saved = { none: null as null | number[], tags: new Set(['a', 'b']), bare, cache, counts: new Map([[1, 2]]), open: { x: 2 } };
    const twinCache = new WeakMap<object, number>();
    const twinOpen = Object.freeze({ x: 0 }) as { x: number };
    const twin = { none: [1] as null | number[], tags: new Set<string>(), bare: {} as Record<string, number>, cache: twinCache, counts: new Map<number, number>(), open: twinOpen };
    const restored = restoreGraph(throughFile(snapshotGraph(saved)), twin);
    expect(restored.none).toBeNull();
    expect([...restored.tags]).toEqual(['a', 'b']);
    expect(Object.getPrototypeOf(restored.bare)).toBeNull();
    expect(restored.bare.n).toBe(1);
    expect(restored.cache).toBe(twinCache);
    expect([...restored.counts]).toEqual([[1, 2]]);
    expect(restored.open).not.toBe(twinOpen); // the saved one was not frozen: a writable copy
    restored.open.x = 3;
    expect(restored.open.x).toBe(3);
  });

  it('leave accessors alone and drop only fields the saved object lacked', () => {
    class WithGetter {
      stored = 1;
      get doubled(): number {
        return this.stored * 2;
      }
    }
    const saved = new WithGetter();
    saved.stored = 5;
    const own = Object.defineProperty({ kept: 0 }, 'computed', { get: () => 42, enumerable: true, configurable: true });
    const restored = restoreGraph(throughFile(snapshotGraph({ w: saved, own: { kept: 7 } })), { w: new WithGetter(), own });
    expect(restored.w.doubled).toBe(10);
    expect(restored.own).toBe(own);
    expect(restored.own.kept).toBe(7);
    expect((restored.own as unknown as { computed: number }).computed).toBe(42);
  });

  it('find a class the twin lacks among the classes passed in, and say so when none is', () => {
    class Lazy {
      constructor(readonly x: number) {}
    }
    const run: { late?: Lazy } = { late: new Lazy(4) };
    const snapshot = throughFile(snapshotGraph(run));
    const restored = restoreGraph(snapshot, {} as { late?: Lazy }, new Map([['Lazy', Lazy.prototype]]));
    expect(restored.late).toBeInstanceOf(Lazy);
    expect(restored.late?.x).toBe(4);
    expect(() => restoreGraph(snapshot, {})).toThrow(new CheckpointError('cannot restore run.late: an object of class Lazy, and no module of the run exports it; register it with checkpointClass'));
  });

  it('find a class elsewhere in a twin whose arrays are as long as a large world holds', () => {
    class Cell {
      constructor(readonly value: number) {}
    }
    // Members of 300,000 (a 100k-user world's users, items and their fields): walking them must
    // not spread an array into one call's arguments, which overflows the stack.
    const run = { moved: new Cell(5), users: [1], ids: new Set([2]), cell: new Cell(1) };
    const twin = { moved: undefined as Cell | undefined, users: Array.from({ length: 300_000 }, (_, i) => i), ids: new Set(Array.from({ length: 300_000 }, (_, i) => i)), cell: new Cell(0) };
    const restored = restoreGraph(throughFile(snapshotGraph(run)), twin);
    expect(restored.moved).toBeInstanceOf(Cell);
    expect(restored.moved?.value).toBe(5);
    expect(restored.users).toEqual([1]);
    expect([...restored.ids]).toEqual([2]);
  });

  it('keep every kind of value exactly: integers, doubles, negative zero, NaN, big integers, strings, holes', () => {
    // eslint-disable-next-line no-sparse-arrays
    const run = { values: [0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 0.1, NaN, Infinity, -Infinity, 12345678901234567890n, '', 'é', true, false, null, undefined, , 7] };
    const restored = restoreGraph(throughFile(snapshotGraph(run)), { values: [] as unknown[] });
    expect(restored.values).toHaveLength(run.values.length);
    for (let i = 0; i < run.values.length; i++) expect(Object.is(restored.values[i], run.values[i])).toBe(true);
  });

  it('refuse to save what a walk of fields cannot reach, naming where it is', () => {
    const run = { stages: [{ pending: Promise.resolve(1) }] };
    expect(() => snapshotGraph(run)).toThrow('cannot checkpoint run.stages[0].pending: a Promise, whose state a walk of fields cannot reach; register a codec for the class that owns it');
  });

  it('refuse a function the twin does not have at the same place', () => {
    const run = { hook: (): number => 1 };
    expect(() => restoreGraph(throughFile(snapshotGraph(run)), {})).toThrow('cannot restore run.hook: a function or weak collection the freshly built run does not have');
  });

  it('drop fields the saved object no longer had', () => {
    const run: Record<string, number> = { kept: 1 };
    const twin: Record<string, number> = { kept: 0, gone: 2 };
    expect(restoreGraph(throughFile(snapshotGraph(run)), twin)).toEqual({ kept: 1 });
  });

  it('save a registered class through its codec', () => {
    class Native {
      constructor(readonly handle: { secret: number }) {}
    }
    const twins: (Native | undefined)[] = [];
    checkpointClass(
      Native,
      {
        save: (n) => n.handle.secret * 10,
        restore: (state, twin) => {
          twins.push(twin);
          return new Native({ secret: (state as number) / 10 });
        },
      },
      'NativeForTest',
    );
    const restored = restoreGraph(throughFile(snapshotGraph({ n: new Native({ secret: 3 }) })), {} as { n?: Native });
    expect(restored.n).toBeInstanceOf(Native);
    expect(restored.n?.handle.secret).toBe(3);
    const twinNative = new Native({ secret: 0 });
    restoreGraph(throughFile(snapshotGraph({ n: new Native({ secret: 4 }) })), { n: twinNative });
    expect(twins).toEqual([undefined, twinNative]); // handed the object at the same place, when it has one
  });
});

describe('Rng checkpoint', () => {
  it('goes on with the same draws, spare normal included', () => {
    const rng = new Rng('seed/world/uploads');
    for (let i = 0; i < 5; i++) rng.next();
    rng.normal(0, 1); // leaves the pair's second normal spare
    const restored = restoreGraph(throughFile(snapshotGraph({ rng })), { rng: new Rng('seed/world/uploads') }).rng;
    const expected = [rng.normal(0, 1), rng.next(), rng.next()];
    expect([restored.normal(0, 1), restored.next(), restored.next()]).toEqual(expected);
  });

});
