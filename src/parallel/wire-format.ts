/**
 * The feedback that crosses between the threads of a run split by users — each with its
 * request and slate — packed into one Float64Array and a table of the entries' source names as
 * it is observed, instead of kept as objects. Structured-cloning feedback objects cost the main
 * thread 11.9 s of a 5-day medium run on two threads when they crossed per batch window; packing
 * is a pass of number stores. Every field goes through the array as a double (exact), devices
 * and sources as indices, a missing survey as NaN, and unpacks to equal objects.
 */
import type { RecRequest, Slate, SlateFeedback } from '../recommender/types.js';
import { DEVICES } from '../world/public.js';

export interface Packed {
  readonly count: number;
  readonly values: Float64Array;
  readonly sources: readonly string[];
}

const REQUEST = 7;
const ENTRY = 3;

/** Numbers appended to a growing array, and source names to their table. */
class Packer {
  private values = new Float64Array(256);
  private at = 0;
  private readonly sources: string[] = [];
  private readonly sourceIndex = new Map<string, number>();

  push(value: number): void {
    if (this.at === this.values.length) {
      const grown = new Float64Array(2 * this.values.length);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.at++] = value;
  }

  request(r: RecRequest): void {
    this.push(r.slateId);
    this.push(r.userId);
    this.push(r.time);
    this.push(r.hourOfDay);
    this.push(DEVICES.indexOf(r.device));
    this.push(r.requestInSession);
    this.push(r.pastSessions);
  }

  slate(s: Slate): void {
    this.push(s.slateId);
    this.push(s.entries.length);
    for (const entry of s.entries) {
      let source = this.sourceIndex.get(entry.source);
      if (source === undefined) this.sourceIndex.set(entry.source, (source = this.sources.push(entry.source) - 1));
      this.push(entry.itemId);
      this.push(source);
      this.push(entry.propensity);
    }
  }

  done(count: number): Packed {
    return { count, values: this.values.slice(0, this.at), sources: this.sources };
  }
}

/** Reads back what a Packer wrote, in the same order. */
class Unpacker {
  private at = 0;

  constructor(private readonly packed: Packed) {}

  request(): RecRequest {
    const v = this.packed.values;
    const a = this.at;
    this.at += REQUEST;
    return { slateId: v[a], userId: v[a + 1], time: v[a + 2], hourOfDay: v[a + 3], device: DEVICES[v[a + 4]], requestInSession: v[a + 5], pastSessions: v[a + 6] };
  }

  slate(): Slate {
    const { values: v, sources } = this.packed;
    const slateId = v[this.at];
    const entries = new Array<{ itemId: number; source: string; propensity: number }>(v[this.at + 1]);
    this.at += 2;
    for (let e = 0; e < entries.length; e++, this.at += ENTRY) entries[e] = { itemId: v[this.at], source: sources[v[this.at + 1]], propensity: v[this.at + 2] };
    return { slateId, entries };
  }

  next(): number {
    return this.packed.values[this.at++];
  }
}

/** Feedback packed as it is observed, so an epoch's slates are never held as objects until its end. */
export class FeedbackPacker {
  private packer = new Packer();
  private count = 0;

  add(f: SlateFeedback): void {
    const packer = this.packer;
    packer.request(f.request);
    packer.slate(f.slate);
    packer.push(f.clicked);
    packer.push(f.watchMinutes);
    packer.push(f.watchFraction);
    packer.push(f.completed ? 1 : 0);
    packer.push(f.liked ? 1 : 0);
    packer.push(f.survey ?? Number.NaN);
    this.count++;
  }

  /** What was added since the last take, packed; the packer starts afresh. */
  take(): Packed {
    const packed = this.packer.done(this.count);
    this.packer = new Packer();
    this.count = 0;
    return packed;
  }
}

/** Packed feedback read back in order, one object at a time. */
export class FeedbackReader {
  private readonly reader: Unpacker;

  constructor(packed: Packed) {
    this.reader = new Unpacker(packed);
  }

  next(): SlateFeedback {
    const reader = this.reader;
    const request = reader.request();
    const slate = reader.slate();
    const clicked = reader.next();
    const watchMinutes = reader.next();
    const watchFraction = reader.next();
    const completed = reader.next() === 1;
    const liked = reader.next() === 1;
    const survey = reader.next();
    return { request, slate, clicked, watchMinutes, watchFraction, completed, liked, survey: Number.isNaN(survey) ? null : survey };
  }
}
