import { describe, expect, it } from 'vitest';
import { FeedbackPacker, FeedbackReader, type Packed } from '../src/parallel/wire-format.js';
import type { SlateFeedback } from '../src/recommender/types.js';

const FEEDBACK: SlateFeedback[] = [
  {
    request: { slateId: 7, userId: 3, time: 1.2345678901234567, hourOfDay: 5, device: 'tv', requestInSession: 2, pastSessions: 11 },
    slate: {
      slateId: 7,
      entries: [
        { itemId: 40, source: 'two_tower+popularity', propensity: 1 },
        { itemId: 2, source: 'explore', propensity: 0.012345678901234567 },
      ],
    },
    clicked: 1,
    watchMinutes: 3.3333333333333335,
    watchFraction: 0.25,
    completed: false,
    liked: true,
    survey: 4,
  },
  {
    request: { slateId: 8, userId: 0, time: 2, hourOfDay: 23, device: 'desktop', requestInSession: 0, pastSessions: 0 },
    slate: { slateId: 8, entries: [{ itemId: 9, source: 'explore', propensity: 0.5 }] },
    clicked: -1,
    watchMinutes: 0,
    watchFraction: 0,
    completed: true,
    liked: false,
    survey: null,
  },
  {
    request: { slateId: 9, userId: 1, time: 3, hourOfDay: 0, device: 'mobile', requestInSession: 1, pastSessions: 2 },
    slate: { slateId: 9, entries: [] },
    clicked: -1,
    watchMinutes: 0,
    watchFraction: 0,
    completed: false,
    liked: false,
    survey: 0,
  },
];

function packed(list: readonly SlateFeedback[]): Packed {
  const packer = new FeedbackPacker();
  for (const f of list) packer.add(f);
  return packer.take();
}

function unpackFeedback(packed: Packed): SlateFeedback[] {
  const reader = new FeedbackReader(packed);
  return Array.from({ length: packed.count }, () => reader.next());
}

describe('feedback packed for the threads of a run split by users', () => {
  it('unpacks to the same feedback, field for field (a survey of 0 stays 0, a missing one null)', () => {
    const all = packed(FEEDBACK);
    expect(all.count).toBe(3);
    expect(all.sources).toEqual(['two_tower+popularity', 'explore']);
    expect(unpackFeedback(all)).toEqual(FEEDBACK);
  });

  it('survives the structured clone that carries it to a thread', () => {
    expect(unpackFeedback(structuredClone(packed(FEEDBACK)))).toEqual(FEEDBACK);
    expect(unpackFeedback(packed([]))).toEqual([]);
  });

  it("starts afresh after each take: an epoch's feedback holds none of the epoch before", () => {
    const packer = new FeedbackPacker();
    packer.add(FEEDBACK[0]);
    packer.take();
    packer.add(FEEDBACK[1]);
    packer.add(FEEDBACK[2]);
    const second = packer.take();
    expect(second.count).toBe(2);
    expect(second.sources).toEqual(['explore']);
    expect(unpackFeedback(second)).toEqual(FEEDBACK.slice(1));
    expect(packer.take().count).toBe(0);
  });
});
