/**
 * Slate feedback packed for the serving replicas: one Float64Array and a table of the entries'
 * source names, instead of the objects themselves. Structured-cloning a window's feedback (each
 * with its request, slate and entries) cost the main thread 11.9 s of a 5-day medium run on two
 * threads; packing is a pass of number stores. The replica unpacks the same objects: every field
 * of a request, slate, entry and response goes through the array as a double (exact), devices
 * and sources as indices, a missing survey as NaN.
 */
import type { SlateFeedback } from '../recommender/types.js';
import { DEVICES } from '../world/public.js';

export interface PackedFeedback {
  readonly count: number;
  readonly values: Float64Array;
  readonly sources: readonly string[];
}

/** Numbers per feedback before its entries, and per entry. */
const HEAD = 15;
const ENTRY = 3;

export function packFeedback(list: readonly SlateFeedback[]): PackedFeedback {
  let size = 0;
  for (const f of list) size += HEAD + ENTRY * f.slate.entries.length;
  const values = new Float64Array(size);
  const sources: string[] = [];
  const sourceIndex = new Map<string, number>();
  let at = 0;
  for (const f of list) {
    const { request, slate } = f;
    values[at++] = request.slateId;
    values[at++] = request.userId;
    values[at++] = request.time;
    values[at++] = request.hourOfDay;
    values[at++] = DEVICES.indexOf(request.device);
    values[at++] = request.requestInSession;
    values[at++] = request.pastSessions;
    values[at++] = slate.slateId;
    values[at++] = f.clicked;
    values[at++] = f.watchMinutes;
    values[at++] = f.watchFraction;
    values[at++] = f.completed ? 1 : 0;
    values[at++] = f.liked ? 1 : 0;
    values[at++] = f.survey ?? Number.NaN;
    values[at++] = slate.entries.length;
    for (const entry of slate.entries) {
      let source = sourceIndex.get(entry.source);
      if (source === undefined) sourceIndex.set(entry.source, (source = sources.push(entry.source) - 1));
      values[at++] = entry.itemId;
      values[at++] = source;
      values[at++] = entry.propensity;
    }
  }
  return { count: list.length, values, sources };
}

export function unpackFeedback(packed: PackedFeedback): SlateFeedback[] {
  const { values, sources } = packed;
  const out = new Array<SlateFeedback>(packed.count);
  let at = 0;
  for (let k = 0; k < packed.count; k++) {
    const request = {
      slateId: values[at],
      userId: values[at + 1],
      time: values[at + 2],
      hourOfDay: values[at + 3],
      device: DEVICES[values[at + 4]],
      requestInSession: values[at + 5],
      pastSessions: values[at + 6],
    };
    const slateId = values[at + 7];
    const survey = values[at + 13];
    const feedback = {
      clicked: values[at + 8],
      watchMinutes: values[at + 9],
      watchFraction: values[at + 10],
      completed: values[at + 11] === 1,
      liked: values[at + 12] === 1,
      survey: Number.isNaN(survey) ? null : survey,
    };
    const entries = new Array<{ itemId: number; source: string; propensity: number }>(values[at + 14]);
    at += HEAD;
    for (let e = 0; e < entries.length; e++, at += ENTRY) entries[e] = { itemId: values[at], source: sources[values[at + 1]], propensity: values[at + 2] };
    out[k] = { request, slate: { slateId, entries }, ...feedback };
  }
  return out;
}
