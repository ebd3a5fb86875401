import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, Kernel, type EventHandle } from '../src/core/index.js';

interface Ran {
  time: number;
  priority: number;
  label: string;
}

/** Runs the kernel to `end`, returning what ran, in order, with its priority. */
function runRecording(kernel: Kernel<{ label: string; priority: number }>, end: number): Ran[] {
  const ran: Ran[] = [];
  kernel.runUntil(end, (payload, time) => ran.push({ time, priority: payload.priority, label: payload.label }));
  return ran;
}

/** Runs the kernel to `end`, returning the labels that ran, in order. */
function runLabels(kernel: Kernel<string>, end: number): string[] {
  const ran: string[] = [];
  kernel.runUntil(end, (label) => ran.push(label));
  return ran;
}

/** Like runLabels, but lets the test act inside the handler. */
function runLabelsWith(
  kernel: Kernel<string>,
  end: number,
  act: (label: string, k: Kernel<string>) => void,
): string[] {
  const ran: string[] = [];
  kernel.runUntil(end, (label) => {
    ran.push(label);
    act(label, kernel);
  });
  return ran;
}

describe('Kernel ordering', () => {
  it('runs events in time order regardless of scheduling order', () => {
    const kernel = new Kernel<string>();
    kernel.schedule(3, 0, 'c');
    kernel.schedule(1, 0, 'a');
    kernel.schedule(2.5, 0, 'b');
    kernel.schedule(10, 0, 'd');
    expect(runLabels(kernel, 10)).toEqual(['a', 'b', 'c']);
    expect(kernel.pending).toBe(1);
  });

  it('breaks time ties by priority, lower number first', () => {
    const kernel = new Kernel<{ label: string; priority: number }>();
    for (const priority of [5, -1, 2, 0]) kernel.schedule(1, priority, { label: `p${priority}`, priority });
    expect(runRecording(kernel, 2).map((r) => r.label)).toEqual(['p-1', 'p0', 'p2', 'p5']);
  });

  it('runs events with equal time and priority first-scheduled-first', () => {
    const kernel = new Kernel<string>();
    const labels = Array.from({ length: 50 }, (_, i) => `e${i}`);
    for (const label of labels) kernel.schedule(4, 1, label);
    expect(runLabels(kernel, 5)).toEqual(labels);
  });

  it('runs only events before end; an event at exactly end waits for the next window', () => {
    const kernel = new Kernel<string>();
    kernel.schedule(1, 0, 'inside');
    kernel.schedule(2, 0, 'at-end');
    expect(kernel.runUntil(2, () => {})).toBe(1);
    expect(kernel.now).toBe(2);
    expect(runLabels(kernel, 3)).toEqual(['at-end']);
  });

  it('returns the number of events run', () => {
    const kernel = new Kernel<number>();
    for (let i = 0; i < 7; i++) kernel.schedule(i, 0, i);
    expect(kernel.runUntil(100, () => {})).toBe(7);
    expect(kernel.runUntil(200, () => {})).toBe(0);
  });
});

describe('Kernel clock', () => {
  it('sets now to each event time while handling, then to end', () => {
    const kernel = new Kernel<number>();
    for (const t of [0.5, 2, 2, 7.25]) kernel.schedule(t, 0, t);
    const seen: [number, number][] = [];
    kernel.runUntil(10, (payload, time) => seen.push([time, kernel.now]));
    expect(seen).toEqual([
      [0.5, 0.5],
      [2, 2],
      [2, 2],
      [7.25, 7.25],
    ]);
    expect(kernel.now).toBe(10);
  });

  it('starts at the given time and advances to end even with no events', () => {
    const kernel = new Kernel<number>(100);
    expect(kernel.now).toBe(100);
    expect(kernel.runUntil(150, () => {})).toBe(0);
    expect(kernel.now).toBe(150);
    expect(kernel.runUntil(150, () => {})).toBe(0); // an empty window is allowed
  });

  it('schedules relative to now with scheduleIn', () => {
    const kernel = new Kernel<string>();
    kernel.runUntil(10, () => {});
    kernel.scheduleIn(5, 0, 'later');
    const times: number[] = [];
    kernel.runUntil(20, (_p, time) => times.push(time));
    expect(times).toEqual([15]);
  });

  it('rejects scheduling in the past or at a non-finite time', () => {
    const kernel = new Kernel<string>();
    kernel.runUntil(10, () => {});
    expect(() => kernel.schedule(9.999, 0, 'x')).toThrow(RangeError);
    expect(() => kernel.schedule(Number.NaN, 0, 'x')).toThrow(RangeError);
    expect(() => kernel.schedule(Infinity, 0, 'x')).toThrow(RangeError);
    expect(() => kernel.schedule(11, Number.NaN, 'x')).toThrow(RangeError);
    expect(() => kernel.scheduleIn(-1, 0, 'x')).toThrow(RangeError);
    expect(() => kernel.scheduleIn(Number.NaN, 0, 'x')).toThrow(RangeError);
    expect(kernel.schedule(10, 0, 'now is fine')).toBeDefined();
    expect(kernel.pending).toBe(1);
  });

  it('rejects a run that would move the clock backwards or to infinity', () => {
    const kernel = new Kernel<string>(5);
    expect(() => kernel.runUntil(4, () => {})).toThrow(RangeError);
    expect(() => kernel.runUntil(Infinity, () => {})).toThrow(RangeError);
    expect(() => new Kernel<string>(Number.NaN)).toThrow(RangeError);
  });
});

describe('Kernel cancellation', () => {
  it('never runs a cancelled event and reports whether it was pending', () => {
    const kernel = new Kernel<string>();
    const keep = kernel.schedule(1, 0, 'keep');
    const drop = kernel.schedule(2, 0, 'drop');
    expect(kernel.pending).toBe(2);
    expect(kernel.cancel(drop)).toBe(true);
    expect(kernel.cancel(drop)).toBe(false); // already cancelled
    expect(kernel.pending).toBe(1);
    expect(runLabels(kernel, 10)).toEqual(['keep']);
    expect(kernel.cancel(keep)).toBe(false); // already ran
    expect(kernel.pending).toBe(0);
  });

  it('ignores a handle from another kernel', () => {
    const a = new Kernel<string>();
    const b = new Kernel<string>();
    const handle = a.schedule(1, 0, 'a');
    b.schedule(1, 0, 'b');
    expect(b.cancel(handle)).toBe(false);
    expect(b.pending).toBe(1);
    expect(runLabels(a, 2)).toEqual(['a']);
  });

  it('lets a handler cancel a later event and one at the same time', () => {
    const kernel = new Kernel<string>();
    const handles = new Map<string, EventHandle>();
    for (const [time, label] of [[1, 'first'], [1, 'same-time'], [3, 'later'], [4, 'survivor']] as const) {
      handles.set(label, kernel.schedule(time, 0, label));
    }
    const ran: string[] = [];
    kernel.runUntil(10, (label) => {
      ran.push(label);
      if (label === 'first') {
        expect(kernel.cancel(handles.get('same-time')!)).toBe(true);
        expect(kernel.cancel(handles.get('later')!)).toBe(true);
        expect(kernel.cancel(handles.get('first')!)).toBe(false); // running now
      }
    });
    expect(ran).toEqual(['first', 'survivor']);
  });

  it('keeps order and counts when a handler cancels most events (heap compaction mid-run)', () => {
    const kernel = new Kernel<number>();
    const TRIGGER = -1;
    kernel.schedule(0, 0, TRIGGER);
    const handles = Array.from({ length: 5000 }, (_, i) => kernel.schedule(1 + ((i * 7919) % 5000), i % 3, i));
    const kept = new Set<number>();
    const ran: number[] = [];
    let lastTime = -Infinity;
    kernel.runUntil(10_000, (i, time) => {
      expect(time).toBeGreaterThanOrEqual(lastTime);
      lastTime = time;
      if (i !== TRIGGER) {
        ran.push(i);
        return;
      }
      handles.forEach((handle, j) => {
        if (j % 10 === 0) kept.add(j);
        else expect(kernel.cancel(handle)).toBe(true);
      });
      expect(kernel.pending).toBe(kept.size);
      expect(kernel.cancel(handles[1])).toBe(false); // cancelled, then compacted away
    });
    expect(ran).toEqual([...kept].sort((a, b) => (a * 7919) % 5000 - (b * 7919) % 5000));
  });
});

describe('Kernel events scheduled while handling', () => {
  it('runs new events that fall inside the window and keeps the rest', () => {
    const kernel = new Kernel<string>();
    kernel.schedule(1, 0, 'seed');
    const ran = runLabelsWith(kernel, 10, (label, k) => {
      if (label === 'seed') {
        k.schedule(1, 0, 'same-time');
        k.schedule(5, 0, 'inside');
        k.scheduleIn(9, 0, 'at-end'); // time 10: not < end
        k.schedule(12, 0, 'outside');
      }
      if (label === 'inside') k.scheduleIn(2, 0, 'chained');
    });
    expect(ran).toEqual(['seed', 'same-time', 'inside', 'chained']);
    expect(kernel.pending).toBe(2);
    expect(runLabels(kernel, 20)).toEqual(['at-end', 'outside']);
  });

  it('runs a same-time event of lower priority number right after the current one', () => {
    const kernel = new Kernel<string>();
    kernel.schedule(1, 5, 'current');
    kernel.schedule(1, 5, 'queued');
    const ran = runLabelsWith(kernel, 2, (label, k) => {
      if (label === 'current') k.schedule(1, 0, 'urgent');
    });
    expect(ran).toEqual(['current', 'urgent', 'queued']);
  });

  it('refuses a nested runUntil and stays usable afterwards', () => {
    const kernel = new Kernel<string>();
    kernel.schedule(1, 0, 'x');
    kernel.schedule(2, 0, 'y');
    expect(() => kernel.runUntil(5, () => kernel.runUntil(6, () => {}))).toThrow(/already running/);
    expect(kernel.now).toBe(1); // stopped at the event whose handler threw
    expect(runLabels(kernel, 5)).toEqual(['y']);
  });
});

describe('EventQueue', () => {
  it('peeks without removing and reports size', () => {
    const queue = new EventQueue<string>();
    expect(queue.peek()).toBeUndefined();
    expect(queue.pop()).toBeUndefined();
    queue.push(2, 0, 'b');
    const a = queue.push(1, 0, 'a');
    expect(queue.peek()?.payload).toBe('a');
    expect(queue.size).toBe(2);
    expect(queue.cancel(a)).toBe(true);
    expect(queue.peek()?.payload).toBe('b'); // skips the cancelled head
    expect(queue.size).toBe(1);
    expect(queue.pop()).toMatchObject({ time: 2, priority: 0, payload: 'b' });
    expect(queue.size).toBe(0);
  });

  it('exposes seq as the insertion counter', () => {
    const queue = new EventQueue<null>();
    const handles = [queue.push(5, 0, null), queue.push(1, 0, null), queue.push(3, 0, null)];
    expect(handles.map((h) => h.seq)).toEqual([0, 1, 2]);
    expect([queue.pop()?.seq, queue.pop()?.seq, queue.pop()?.seq]).toEqual([1, 2, 0]);
  });
});

// ---- Property tests -------------------------------------------------------

type Op = { kind: 'schedule'; time: number; priority: number } | { kind: 'cancel'; target: number };

// Small integer ranges make ties on time and on (time, priority) common.
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('schedule' as const),
      time: fc.integer({ min: 0, max: 15 }),
      priority: fc.integer({ min: -2, max: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), target: fc.nat() }) },
);

interface Key {
  time: number;
  priority: number;
  seq: number;
}

function keyOf(e: Key): Key {
  return { time: e.time, priority: e.priority, seq: e.seq };
}

function keyOrder(a: Key, b: Key): number {
  return a.time - b.time || a.priority - b.priority || a.seq - b.seq;
}

describe('properties', () => {
  it('a random mix of schedules and cancels runs in sorted (time, priority, seq) order', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const kernel = new Kernel<number>();
        const handles: EventHandle[] = [];
        const scheduled: Key[] = [];
        const cancelled = new Set<number>();
        for (const op of ops) {
          if (op.kind === 'schedule') {
            const handle = kernel.schedule(op.time, op.priority, handles.length);
            scheduled.push({ time: op.time, priority: op.priority, seq: handle.seq });
            handles.push(handle);
          } else if (handles.length > 0) {
            const i = op.target % handles.length;
            expect(kernel.cancel(handles[i])).toBe(!cancelled.has(i));
            cancelled.add(i);
          }
        }
        expect(kernel.pending).toBe(handles.length - cancelled.size);

        const ran: Key[] = [];
        kernel.runUntil(16, (i, time) => ran.push({ time, priority: scheduled[i].priority, seq: scheduled[i].seq }));

        const expected = scheduled.filter((_, i) => !cancelled.has(i)).sort(keyOrder);
        expect(ran).toEqual(expected);
        expect(kernel.pending).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('EventQueue matches a sorted-list model under interleaved push, pop, peek and cancel', () => {
    type QOp = Op | { kind: 'pop' } | { kind: 'peek' };
    const qOpArb: fc.Arbitrary<QOp> = fc.oneof(
      { weight: 4, arbitrary: opArb },
      { weight: 2, arbitrary: fc.constant({ kind: 'pop' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'peek' as const }) },
    );
    fc.assert(
      fc.property(fc.array(qOpArb, { maxLength: 300 }), (ops) => {
        const queue = new EventQueue<number>();
        const handles: EventHandle[] = [];
        let model: Key[] = [];
        for (const op of ops) {
          if (op.kind === 'schedule') {
            const handle = queue.push(op.time, op.priority, handles.length);
            handles.push(handle);
            model.push({ time: op.time, priority: op.priority, seq: handle.seq });
            model.sort(keyOrder);
          } else if (op.kind === 'cancel') {
            if (handles.length === 0) continue;
            const seq = handles[op.target % handles.length].seq;
            const pending = model.some((e) => e.seq === seq);
            expect(queue.cancel(handles[op.target % handles.length])).toBe(pending);
            model = model.filter((e) => e.seq !== seq);
          } else {
            const got = op.kind === 'pop' ? queue.pop() : queue.peek();
            const want = op.kind === 'pop' ? model.shift() : model[0];
            expect(got && keyOf(got)).toEqual(want);
          }
          expect(queue.size).toBe(model.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('EventQueue stays ordered when mass cancellation compacts the heap', () => {
    // Enough cancellations to pass the compaction threshold, at random
    // positions, with pushes and pops after the rebuild.
    const arb = fc.record({
      events: fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2 })), {
        minLength: 150,
        maxLength: 400,
      }),
      keep: fc.array(fc.boolean(), { minLength: 400, maxLength: 400 }),
      later: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 50 }),
    });
    fc.assert(
      fc.property(arb, ({ events, keep, later }) => {
        const queue = new EventQueue<number>();
        const model: Key[] = [];
        const handles = events.map(([time, priority]) => queue.push(time, priority, 0));
        handles.forEach((handle, i) => {
          // Keep about one in four so the cancelled share passes one half.
          const [time, priority] = events[i];
          if (keep[i] && keep[(i * 7) % keep.length]) model.push({ time, priority, seq: handle.seq });
          else queue.cancel(handle);
        });
        for (const time of later) {
          const handle = queue.push(time, 1, 0);
          model.push({ time, priority: 1, seq: handle.seq });
        }
        model.sort(keyOrder);
        expect(queue.size).toBe(model.length);
        const popped: Key[] = [];
        for (let e = queue.pop(); e !== undefined; e = queue.pop()) popped.push(keyOf(e));
        expect(popped).toEqual(model);
      }),
      { numRuns: 200 },
    );
  });

  it('with handlers scheduling and cancelling, the clock never goes back and nothing before end is left', () => {
    const arb = fc.record({
      initial: fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 1, maxLength: 30 }),
      reactions: fc.array(
        fc.record({
          delay: fc.double({ min: 0, max: 20, noNaN: true }),
          priority: fc.integer({ min: 0, max: 3 }),
          cancel: fc.boolean(),
        }),
        { maxLength: 200 },
      ),
      end: fc.double({ min: 0, max: 60, noNaN: true }),
    });
    fc.assert(
      fc.property(arb, ({ initial, reactions, end }) => {
        const kernel = new Kernel<number>();
        const handles: EventHandle[] = [];
        const times: number[] = [];
        const state: ('pending' | 'ran' | 'cancelled')[] = [];
        const add = (time: number, priority: number): void => {
          handles.push(kernel.schedule(time, priority, handles.length));
          times.push(time);
          state.push('pending');
        };
        initial.forEach((t) => add(t, 0));

        let next = 0;
        let last = -Infinity;
        const ran = kernel.runUntil(end, (i, time) => {
          expect(time).toBeGreaterThanOrEqual(last);
          expect(time).toBeLessThan(end);
          expect(kernel.now).toBe(time);
          expect(state[i]).toBe('pending');
          last = time;
          state[i] = 'ran';
          const reaction = reactions[next++];
          if (reaction === undefined) return;
          add(kernel.now + reaction.delay, reaction.priority);
          if (reaction.cancel) {
            const victim = handles.length - 2; // the most recent event before this one
            if (kernel.cancel(handles[victim])) state[victim] = 'cancelled';
          }
        });

        expect(kernel.now).toBe(end);
        expect(ran).toBe(state.filter((s) => s === 'ran').length);
        const pending = state.flatMap((s, i) => (s === 'pending' ? [i] : []));
        expect(kernel.pending).toBe(pending.length);
        for (const i of pending) expect(times[i]).toBeGreaterThanOrEqual(end);
      }),
      { numRuns: 300 },
    );
  });
});
