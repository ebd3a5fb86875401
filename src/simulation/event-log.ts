/**
 * A shard's events of an epoch (shard-epoch.ts) kept in typed columns as they happen, not as
 * objects: an epoch's events on a large world run to hundreds of thousands, and held as objects
 * until the epoch's end they outlived every young-generation collection (each copied them, then
 * moved them to the old generation) and crossed to the main thread by structured cloning, object
 * by object. Columns cross as a few buffers and are read back one event at a time, as the metrics
 * take them, each event an object equal to the one recorded (every number is kept exactly: times
 * and values as doubles, ids and items as the integers they are).
 */
import { grown } from '../core/typed-arrays.js';
import type { SimEvent } from '../metrics/types.js';

/** Each kind's code in the `kind` column: a kind added to SimEvent must be given one here. */
const KIND_CODES: Readonly<Record<SimEvent['kind'], number>> = { slate: 0, session_start: 1, session_end: 2, signup: 3, churn: 4, upload: 5 };
const KINDS = (Object.keys(KIND_CODES) as SimEvent['kind'][]).sort((a, b) => KIND_CODES[a] - KIND_CODES[b]);
const SLATE = KIND_CODES.slate;
const SESSION_END = KIND_CODES.session_end;
const UPLOAD = KIND_CODES.upload;

/** The columns, one entry per event (`items` and `itemStart` per slate), `count` events long. */
export interface EventColumns {
  readonly count: number;
  readonly kind: Uint8Array;
  readonly time: Float64Array;
  /** The user's id, or the item's for an upload. */
  readonly id: Float64Array;
  /** A slate's id and clicked position (−1 for none). */
  readonly slateId: Float64Array;
  readonly clicked: Int32Array;
  /** A slate's watch minutes, a session end's satisfaction. */
  readonly value: Float64Array;
  /** A slate's true utility. */
  readonly utility: Float64Array;
  /** Each event's first entry in `items` (slates only have entries); one more entry at the end. */
  readonly itemStart: Int32Array;
  readonly items: Int32Array;
}

export class EventLog {
  private size = 0;
  private kind: Uint8Array;
  private time: Float64Array;
  private id: Float64Array;
  private slateId: Float64Array;
  private clicked: Int32Array;
  private value: Float64Array;
  private utility: Float64Array;
  private itemStart: Int32Array;
  private items: Int32Array;

  constructor(capacity = 1024) {
    this.kind = new Uint8Array(capacity);
    this.time = new Float64Array(capacity);
    this.id = new Float64Array(capacity);
    this.slateId = new Float64Array(capacity);
    this.clicked = new Int32Array(capacity);
    this.value = new Float64Array(capacity);
    this.utility = new Float64Array(capacity);
    this.itemStart = new Int32Array(capacity + 1);
    this.items = new Int32Array(8 * capacity);
  }

  /** A log over columns another thread wrote, to read. */
  static over(columns: EventColumns): EventLog {
    const log = new EventLog(0);
    ({ count: log.size, kind: log.kind, time: log.time, id: log.id, slateId: log.slateId, clicked: log.clicked, value: log.value, utility: log.utility, itemStart: log.itemStart, items: log.items } = columns);
    return log;
  }

  get count(): number {
    return this.size;
  }

  add(event: SimEvent): void {
    const e = this.size;
    if (e >= this.kind.length) this.grow(2 * (e + 1));
    this.kind[e] = KIND_CODES[event.kind];
    this.time[e] = event.time;
    let end = this.itemStart[e];
    switch (event.kind) {
      case 'slate': {
        this.id[e] = event.userId;
        this.slateId[e] = event.slateId;
        this.clicked[e] = event.clicked;
        this.value[e] = event.watchMinutes;
        this.utility[e] = event.trueUtility;
        if (end + event.items.length > this.items.length) this.items = grown(this.items, Math.max(end + event.items.length, 2 * this.items.length));
        const items = this.items;
        for (let p = 0; p < event.items.length; p++) items[end++] = event.items[p];
        break;
      }
      case 'session_end':
        this.id[e] = event.userId;
        this.value[e] = event.satisfaction;
        break;
      case 'upload':
        this.id[e] = event.itemId;
        break;
      default:
        this.id[e] = event.userId;
    }
    this.itemStart[e + 1] = end;
    this.size = e + 1;
  }

  /** Event `e` as it was added, a new object; a slate's id is `slateId` where given. */
  event(e: number, slateId = this.slateId[e]): SimEvent {
    const time = this.time[e];
    const id = this.id[e];
    switch (this.kind[e]) {
      case SLATE: {
        const from = this.itemStart[e];
        const items = new Array<number>(this.itemStart[e + 1] - from);
        for (let p = 0; p < items.length; p++) items[p] = this.items[from + p];
        return { kind: 'slate', time, userId: id, slateId, items, clicked: this.clicked[e], watchMinutes: this.value[e], trueUtility: this.utility[e] };
      }
      case SESSION_END:
        return { kind: 'session_end', time, userId: id, satisfaction: this.value[e] };
      case UPLOAD:
        return { kind: 'upload', time, itemId: id };
      default:
        return { kind: KINDS[this.kind[e]] as 'session_start' | 'signup' | 'churn', time, userId: id };
    }
  }

  /** Whether event `e` is a served slate. */
  isSlate(e: number): boolean {
    return this.kind[e] === SLATE;
  }

  /** Items shown by event `e` (0 for any but a slate). */
  slateItems(e: number): number {
    return this.itemStart[e + 1] - this.itemStart[e];
  }

  /** The columns cut to the events added, copied: they go to another thread while this log goes on. */
  columns(): EventColumns {
    const n = this.size;
    return {
      count: n,
      kind: this.kind.slice(0, n),
      time: this.time.slice(0, n),
      id: this.id.slice(0, n),
      slateId: this.slateId.slice(0, n),
      clicked: this.clicked.slice(0, n),
      value: this.value.slice(0, n),
      utility: this.utility.slice(0, n),
      itemStart: this.itemStart.slice(0, n + 1),
      items: this.items.slice(0, this.itemStart[n]),
    };
  }

  private grow(capacity: number): void {
    this.kind = grown(this.kind, capacity);
    this.time = grown(this.time, capacity);
    this.id = grown(this.id, capacity);
    this.slateId = grown(this.slateId, capacity);
    this.clicked = grown(this.clicked, capacity);
    this.value = grown(this.value, capacity);
    this.utility = grown(this.utility, capacity);
    this.itemStart = grown(this.itemStart, capacity + 1);
  }
}

/** The buffers of `columns`, which a message may hand over instead of copying. */
export function eventBuffers(columns: EventColumns): ArrayBuffer[] {
  const { kind, time, id, slateId, clicked, value, utility, itemStart, items } = columns;
  return [kind, time, id, slateId, clicked, value, utility, itemStart, items].map((a) => a.buffer as ArrayBuffer);
}
