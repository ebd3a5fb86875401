/**
 * A logged traffic's sessions: which slate ends each session and when the user's next one starts,
 * read off interleaved users; and traffic that cannot have been logged is refused.
 */
import { describe, expect, it } from 'vitest';
import { ReplayedTraffic, type TrafficSlate } from '../src/simulation/replayed-traffic.js';

const slate = (time: number, userId: number, requestInSession: number): TrafficSlate => ({ time, userId, requestInSession, hourOfDay: 20 });

describe('replayed traffic', () => {
  it('marks the last slate of every session and the start of the user’s next one', () => {
    const traffic = new ReplayedTraffic([
      slate(0.1, 1, 0), // user 1, session A
      slate(0.1, 2, 0), // user 2, only session
      slate(0.2, 1, 1), // user 1, session A ends here
      slate(0.2, 2, 1),
      slate(0.5, 1, 0), // user 1, session B, their last
      slate(0.6, 2, 2), // user 2 ends here
    ]);
    expect(traffic.size).toBe(6);
    expect(Array.from(traffic.lastOfSession)).toEqual([0, 0, 1, 0, 1, 1]);
    expect(traffic.nextSessionAt[2]).toBe(0.5);
    expect(traffic.nextSessionAt[4]).toBe(Infinity);
    expect(traffic.nextSessionAt[5]).toBe(Infinity);
    expect(Array.from(traffic.hourOfDay)).toEqual([20, 20, 20, 20, 20, 20]);
  });

  it('refuses slates out of time order and a user whose first slate is not a session’s first', () => {
    expect(() => new ReplayedTraffic([slate(0.2, 1, 0), slate(0.1, 2, 0)])).toThrow(/slate 1 at day 0.1 comes before the slate ahead of it \(day 0.2\)/);
    expect(() => new ReplayedTraffic([slate(0.1, 1, 0), slate(0.2, 3, 2)])).toThrow(/user 3's first slate \(slate 1\) is request 2/);
    expect(() => new ReplayedTraffic([slate(0.1, 1, -1)])).toThrow(/request_in_session -1/);
  });
});
