/**
 * The merge of a run split by users (src/parallel/shard-merge.ts), on hand-made shard epochs: the
 * events come out in the order of their places, slates get ids in that order and bring their
 * own impression rows, and each shard replays the others' feedback in that order.
 */
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../src/metrics/types.js';
import { mergeShardEpochs, replayFor, sumTallies } from '../src/parallel/shard-merge.js';
import { FeedbackPacker } from '../src/parallel/wire-format.js';
import { EventLog } from '../src/simulation/event-log.js';
import type { ShardEpoch } from '../src/simulation/shard-epoch.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';

type Place = [number, number, number, number];

/** A shard's epoch from (event, place) pairs; each slate event's items become rows tagged with `source`. */
function shard(source: string, entries: [SimEvent, Place][]): ShardEpoch {
  const impressions = new ImpressionBuffer(4);
  const feedback = new FeedbackPacker();
  const events = new EventLog(1);
  for (const [event] of entries) {
    events.add(event);
    if (event.kind !== 'slate') continue;
    event.items.forEach((itemId, position) =>
      impressions.append({ time: event.time, epoch: 0, slateId: event.slateId, userId: event.userId, itemId, position, arm: 'a', source, propensity: 1, clicked: false, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null }),
    );
    const request = { slateId: event.slateId, userId: event.userId, time: event.time, hourOfDay: 0, device: 'mobile' as const, requestInSession: 0, pastSessions: 0 };
    feedback.add({ request, slate: { slateId: event.slateId, entries: [] }, clicked: -1, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null });
  }
  return { events: events.columns(), keys: Float64Array.from(entries.flatMap(([, place]) => place)), impressions, feedback: feedback.take(), prefs: new Float64Array(0), tally: new Float64Array(0) };
}

const slate = (userId: number, slateId: number, items: number[]): SimEvent => ({ kind: 'slate', time: 1, userId, slateId, items, clicked: -1, watchMinutes: 0, trueUtility: Number.NaN });

describe('merging the shards of an epoch', () => {
  // Shard 0 owns even users, shard 1 odd ones. One batch window at t = 1 (rank 0) served users
  // 2, 1 and 4, asked at 0.3, 0.5 and 0.9; user 3 started a session at 0.6; an upload at 0.2.
  const zero = shard('zero', [
    [{ kind: 'upload', time: 0.2, itemId: 9 }, [0.2, 2 ** 32, 0, 0]],
    [slate(2, 100, [5, 6]), [1, 0, 0.3, 6 * 2 ** 32 + 3]],
    [slate(4, 101, [7]), [1, 0, 0.9, 6 * 2 ** 32 + 5]],
  ]);
  const one = shard('one', [
    [{ kind: 'session_start', time: 0.6, userId: 3 }, [0.6, 5 * 2 ** 32 + 4, 0, 0]],
    [slate(1, 100, [8, 9, 5]), [1, 0, 0.5, 5 * 2 ** 32 + 2]],
  ]);
  const merged = mergeShardEpochs([zero, one], 40);

  it('orders the events by their places and gives the slates their ids in that order', () => {
    const events = [...merged.events];
    expect(events.map((e) => e.kind)).toEqual(['upload', 'session_start', 'slate', 'slate', 'slate']);
    expect(events.flatMap((e) => (e.kind === 'slate' ? [[e.userId, e.slateId]] : []))).toEqual([[2, 40], [1, 41], [4, 42]]);
    expect(events[3]).toEqual(slate(1, 41, [8, 9, 5]));
    expect(Array.from(merged.origin)).toEqual([0, 1, 0]);
    // The shards' own events keep their provisional ids.
    expect(EventLog.over(zero.events).event(1)).toMatchObject({ slateId: 100 });
  });

  it('brings each slate its own rows, with the new id and its strings', () => {
    const rows = Array.from({ length: merged.impressions.length }, (_, i) => merged.impressions.row(i));
    expect(rows.map((r) => [r.slateId, r.userId, r.itemId, r.position, r.source])).toEqual([
      [40, 2, 5, 0, 'zero'], [40, 2, 6, 1, 'zero'],
      [41, 1, 8, 0, 'one'], [41, 1, 9, 1, 'one'], [41, 1, 5, 2, 'one'],
      [42, 4, 7, 0, 'zero'],
    ]);
  });

  it("replays to each shard the other shards' feedback in the merged order", () => {
    const feedback = [zero.feedback, one.feedback];
    expect([...replayFor(0, merged.origin, feedback)].map((f) => f.request.userId)).toEqual([1]);
    expect([...replayFor(1, merged.origin, feedback)].map((f) => [f.request.userId, f.request.slateId])).toEqual([[2, 100], [4, 101]]);
  });

  it('refuses a shard whose rows do not match its slate events', () => {
    const short = shard('zero', [[slate(2, 100, [5, 6]), [1, 0, 0.3, 1]]]);
    const fewer = new EventLog();
    fewer.add(slate(2, 100, [5]));
    const lying = { ...short, events: fewer.columns() };
    expect(() => mergeShardEpochs([lying], 0)).toThrow(/shard 0: 2 impressions, but its slate events show 1/);
  });

  it("sums the shards' serving counts count by count, and refuses tallies of different lengths", () => {
    expect(Array.from(sumTallies([Float64Array.of(1, 10, 3, 0), Float64Array.of(2, 20, 0, 5), Float64Array.of(4, 40, 1, 1)]))).toEqual([7, 70, 4, 6]);
    expect(sumTallies([new Float64Array(0), new Float64Array(0)]).length).toBe(0);
    expect(() => sumTallies([Float64Array.of(1, 2), Float64Array.of(1)])).toThrow(/1 and 2 serving counts/);
  });
});
