/**
 * A run's traffic as its impression log recorded it: every slate's time, user and place in its
 * session. A simulation given it (simulation.ts, `traffic`) serves exactly these requests at these
 * times instead of letting the world decide who comes back when, so two designs replayed on one
 * traffic differ only in what they showed and how the same users answered it.
 */
export interface TrafficSlate {
  /** When the slate was served (the end of its batch window). */
  readonly time: number;
  readonly userId: number;
  /** The slate's place in its session, from 0. */
  readonly requestInSession: number;
  /** The hour the request was made in, as logged (a request made before its batch's end may be of the hour before). */
  readonly hourOfDay: number;
}

export class ReplayedTraffic {
  readonly times: Float64Array;
  readonly users: Int32Array;
  readonly requestInSession: Int32Array;
  readonly hourOfDay: Int32Array;
  /** 1 where the slate is the last of its session. */
  readonly lastOfSession: Uint8Array;
  /** At a session's last slate: when the user's next session starts (Infinity after their last). */
  readonly nextSessionAt: Float64Array;

  /** `slates` in the order they were served (time, then slate id). */
  constructor(slates: readonly TrafficSlate[]) {
    const n = slates.length;
    this.times = new Float64Array(n);
    this.users = new Int32Array(n);
    this.requestInSession = new Int32Array(n);
    this.hourOfDay = new Int32Array(n);
    this.lastOfSession = new Uint8Array(n);
    this.nextSessionAt = new Float64Array(n).fill(Infinity);
    /** Each user's latest slate so far, to close its session when the next one starts. */
    const latest = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const { time, userId, requestInSession, hourOfDay } = slates[i];
      if (i > 0 && time < this.times[i - 1]) throw new Error(`replayed traffic: slate ${i} at day ${time} comes before the slate ahead of it (day ${this.times[i - 1]})`);
      if (!Number.isInteger(requestInSession) || requestInSession < 0) throw new Error(`replayed traffic: slate ${i} has request_in_session ${requestInSession}; expected a whole number from 0`);
      this.times[i] = time;
      this.users[i] = userId;
      this.requestInSession[i] = requestInSession;
      this.hourOfDay[i] = hourOfDay;
      const before = latest.get(userId);
      if (requestInSession === 0 && before !== undefined) {
        this.lastOfSession[before] = 1;
        this.nextSessionAt[before] = time;
      }
      if (requestInSession > 0 && before === undefined) throw new Error(`replayed traffic: user ${userId}'s first slate (slate ${i}) is request ${requestInSession} of a session; expected 0`);
      latest.set(userId, i);
    }
    for (const last of latest.values()) this.lastOfSession[last] = 1;
  }

  get size(): number {
    return this.times.length;
  }
}
