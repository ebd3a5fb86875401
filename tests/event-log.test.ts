/**
 * The packed events of a shard's epoch (src/simulation/event-log.ts): every kind reads back as an
 * object equal to the one added, every number exact, past the log's first capacity, and after the
 * structured clone that carries the columns to the main thread.
 */
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../src/metrics/types.js';
import { EventLog, eventBuffers } from '../src/simulation/event-log.js';

const EVENTS: SimEvent[] = [
  { kind: 'upload', time: 0.1, itemId: 1999 },
  { kind: 'signup', time: 0.2, userId: 7 },
  { kind: 'session_start', time: 0.30000000000000004, userId: 7 },
  { kind: 'slate', time: 0.3125, userId: 7, slateId: 12, items: [5, 0, 1999, 42], clicked: 2, watchMinutes: 3.3333333333333335, trueUtility: -0.123456789012345 },
  { kind: 'slate', time: 0.4, userId: 3, slateId: 13, items: [8], clicked: -1, watchMinutes: 0, trueUtility: Number.NaN },
  { kind: 'session_end', time: 0.5, userId: 7, satisfaction: 0.7071067811865476 },
  { kind: 'churn', time: 0.6, userId: 3 },
];

function logOf(events: readonly SimEvent[], capacity?: number): EventLog {
  const log = new EventLog(capacity);
  for (const event of events) log.add(event);
  return log;
}

const read = (log: EventLog): SimEvent[] => Array.from({ length: log.count }, (_, e) => log.event(e));

describe('a shard epoch’s events, packed as they happen', () => {
  it('reads every kind back as the event added, every number exact', () => {
    const log = logOf(EVENTS);
    expect(log.count).toBe(EVENTS.length);
    expect(read(log)).toEqual(EVENTS);
    expect(EVENTS.map((_, e) => [log.isSlate(e), log.slateItems(e)])).toEqual([[false, 0], [false, 0], [false, 0], [true, 4], [true, 1], [false, 0], [false, 0]]);
  });

  it('gives a slate the id it is asked to, leaving the recorded one', () => {
    const log = logOf(EVENTS);
    expect(log.event(3, 400)).toEqual({ ...EVENTS[3], slateId: 400 });
    expect(log.event(3)).toEqual(EVENTS[3]);
  });

  it('grows past its first capacity, events and items alike', () => {
    const many: SimEvent[] = Array.from({ length: 300 }, (_, k) =>
      k % 3 === 0
        ? { kind: 'slate', time: k, userId: k, slateId: k, items: Array.from({ length: 1 + (k % 17) }, (_, p) => k * 31 + p), clicked: (k % 5) - 1, watchMinutes: k / 7, trueUtility: k / 3 }
        : { kind: 'session_start', time: k, userId: k },
    );
    expect(read(logOf(many, 1))).toEqual(many);
    expect(read(logOf(many, 0))).toEqual(many);
  });

  it('hands over columns cut to its events, which a structured clone carries and another log reads', () => {
    const log = logOf(EVENTS, 64);
    const columns = log.columns();
    expect(columns.kind.length).toBe(EVENTS.length);
    expect(columns.items.length).toBe(5);
    // Copies: the log goes on growing without touching what it handed over.
    log.add({ kind: 'churn', time: 1, userId: 1 });
    expect(read(EventLog.over(columns))).toEqual(EVENTS);
    const carried = structuredClone(columns, { transfer: eventBuffers(columns) });
    expect(columns.kind.length).toBe(0); // handed over, not copied
    expect(read(EventLog.over(carried))).toEqual(EVENTS);
  });
});
