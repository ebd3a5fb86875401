/**
 * The object graph's nodes as one byte stream (object-graph.ts walks the graph and writes it;
 * restoring reads it): a tag byte per value, numbers and lengths in fixed widths, strings as
 * indices into one table, buffers and codec payloads kept aside. A run's graph holds millions of
 * nodes (an object per user and per item, a small typed array or two each); as arrays of arrays
 * handed to v8's serializer, the large world's first checkpoint took 22.5 s after a day it had
 * simulated in 30.
 */

/** A reference to the node of that id. */
type Ref = { readonly $: number };
/** A function or weak collection: the twin's value at the same place is kept. */
type Keep = { readonly k: 1 };
export type Encoded = string | number | boolean | bigint | null | undefined | Ref | Keep;

type GraphNode =
  | readonly ['array', readonly Encoded[], boolean]
  | readonly ['map', readonly Encoded[], readonly Encoded[]]
  | readonly ['set', readonly Encoded[]]
  | readonly ['object', string, readonly string[], readonly Encoded[], boolean]
  | readonly ['buffer', ArrayBuffer]
  | readonly ['view', string, Encoded, number, number]
  | readonly ['codec', string, unknown];

export interface GraphSnapshot {
  /** The root value, then every node in id order. */
  readonly code: Uint8Array;
  readonly strings: readonly string[];
  /** The buffers' bytes, in the order their nodes come. */
  readonly buffers: readonly ArrayBuffer[];
  /** What each codec saved, in the order their nodes come. */
  readonly payloads: readonly unknown[];
}

const KEEP: Keep = { k: 1 };

// Value tags.
const UNDEFINED = 0;
const NULL = 1;
const FALSE = 2;
const TRUE = 3;
const INT = 4;
const DOUBLE = 5;
const STRING = 6;
const BIGINT = 7;
const REF = 8;
const KEPT = 9;
// Node tags.
const ARRAY = 0;
const MAP = 1;
const SET = 2;
const OBJECT = 3;
const BUFFER = 4;
const VIEW = 5;
const CODEC = 6;

export class GraphWriter {
  private bytes = new Uint8Array(1 << 16);
  private data = new DataView(this.bytes.buffer);
  private at = 0;
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly buffers: ArrayBuffer[] = [];
  private readonly payloads: unknown[] = [];

  /** A value that is not an object of the graph (those are written as refs). */
  primitive(value: string | number | boolean | bigint | null | undefined): void {
    if (value === undefined) this.tag(UNDEFINED);
    else if (value === null) this.tag(NULL);
    else if (value === false) this.tag(FALSE);
    else if (value === true) this.tag(TRUE);
    else if (typeof value === 'number') {
      if ((value | 0) === value && !Object.is(value, -0)) {
        this.tag(INT);
        this.room(4);
        this.data.setInt32(this.at, value, true);
        this.at += 4;
      } else {
        this.tag(DOUBLE);
        this.double(value);
      }
    } else if (typeof value === 'string') {
      this.tag(STRING);
      this.string(value);
    } else {
      this.tag(BIGINT);
      this.string(value.toString());
    }
  }

  ref(id: number): void {
    this.tag(REF);
    this.count(id);
  }

  keep(): void {
    this.tag(KEPT);
  }

  /** Starts an array node; its `length` values follow. */
  array(length: number, frozen: boolean): void {
    this.tag(ARRAY);
    this.count(length);
    this.tag(frozen ? 1 : 0);
  }

  /** Starts a map node; its `size` keys and values follow, alternating. */
  map(size: number): void {
    this.tag(MAP);
    this.count(size);
  }

  /** Starts a set node; its `size` members follow. */
  set(size: number): void {
    this.tag(SET);
    this.count(size);
  }

  /** Starts an object node; the values of `names` follow, in order. */
  object(className: string, names: readonly string[], frozen: boolean): void {
    this.tag(OBJECT);
    this.string(className);
    this.tag(frozen ? 1 : 0);
    this.count(names.length);
    for (let i = 0; i < names.length; i++) this.string(names[i]);
  }

  buffer(value: ArrayBuffer): void {
    this.tag(BUFFER);
    this.buffers.push(value);
  }

  /** Starts a view node; the ref to its buffer follows. */
  view(kind: string, byteOffset: number, length: number): void {
    this.tag(VIEW);
    this.string(kind);
    this.double(byteOffset);
    this.double(length);
  }

  codec(name: string, payload: unknown): void {
    this.tag(CODEC);
    this.string(name);
    this.payloads.push(payload);
  }

  finish(): GraphSnapshot {
    return { code: this.bytes.slice(0, this.at), strings: this.strings, buffers: this.buffers, payloads: this.payloads };
  }

  private string(value: string): void {
    let id = this.stringIds.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.stringIds.set(value, id);
    }
    this.count(id);
  }

  private tag(tag: number): void {
    this.room(1);
    this.bytes[this.at++] = tag;
  }

  private count(n: number): void {
    this.room(4);
    this.data.setUint32(this.at, n, true);
    this.at += 4;
  }

  private double(x: number): void {
    this.room(8);
    this.data.setFloat64(this.at, x, true);
    this.at += 8;
  }

  private room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(2 * this.bytes.length, this.at + n));
    next.set(this.bytes.subarray(0, this.at));
    this.bytes = next;
    this.data = new DataView(next.buffer);
  }
}

/** Reads a snapshot's nodes by id, each decoded when asked for. */
export class GraphReader {
  readonly root: Encoded;
  private readonly data: DataView;
  private readonly starts: Int32Array;
  /** Index of each node's buffer or codec payload (-1 for other kinds). */
  private readonly sideIndex: Int32Array;
  private at = 0;

  constructor(private readonly snapshot: GraphSnapshot) {
    const { code } = snapshot;
    this.data = new DataView(code.buffer, code.byteOffset, code.byteLength);
    this.root = this.value();
    const starts: number[] = [];
    const side: number[] = [];
    let buffers = 0;
    let payloads = 0;
    while (this.at < code.length) {
      starts.push(this.at);
      const kind = code[this.at];
      side.push(kind === BUFFER ? buffers++ : kind === CODEC ? payloads++ : -1);
      this.skipNode();
    }
    if (this.at !== code.length || buffers !== snapshot.buffers.length || payloads !== snapshot.payloads.length) {
      throw new RangeError(`graph snapshot: ${code.length} bytes, ${snapshot.buffers.length} buffers and ${snapshot.payloads.length} payloads where its nodes describe ${this.at}, ${buffers} and ${payloads}`);
    }
    this.starts = Int32Array.from(starts);
    this.sideIndex = Int32Array.from(side);
  }

  node(id: number): GraphNode {
    if (!(id >= 0 && id < this.starts.length)) throw new RangeError(`graph snapshot: no node ${id} (it has ${this.starts.length})`);
    this.at = this.starts[id];
    const kind = this.byte();
    switch (kind) {
      case ARRAY: {
        const length = this.count();
        const frozen = this.byte() === 1;
        return ['array', this.values(length), frozen];
      }
      case MAP: {
        const size = this.count();
        const keys: Encoded[] = new Array<Encoded>(size);
        const values: Encoded[] = new Array<Encoded>(size);
        for (let i = 0; i < size; i++) {
          keys[i] = this.value();
          values[i] = this.value();
        }
        return ['map', keys, values];
      }
      case SET:
        return ['set', this.values(this.count())];
      case OBJECT: {
        const className = this.string();
        const frozen = this.byte() === 1;
        const names = new Array<string>(this.count());
        for (let i = 0; i < names.length; i++) names[i] = this.string();
        return ['object', className, names, this.values(names.length), frozen];
      }
      case BUFFER:
        return ['buffer', this.snapshot.buffers[this.sideIndex[id]]];
      case VIEW: {
        const kind = this.string();
        const byteOffset = this.double();
        const length = this.double();
        return ['view', kind, this.value(), byteOffset, length];
      }
      case CODEC:
        return ['codec', this.string(), this.snapshot.payloads[this.sideIndex[id]]];
      default:
        throw new RangeError(`graph snapshot: unknown node kind ${kind} at byte ${this.at - 1}`);
    }
  }

  private values(n: number): Encoded[] {
    const out = new Array<Encoded>(n);
    for (let i = 0; i < n; i++) out[i] = this.value();
    return out;
  }

  private value(): Encoded {
    const tag = this.byte();
    switch (tag) {
      case UNDEFINED:
        return undefined;
      case NULL:
        return null;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case INT: {
        const x = this.data.getInt32(this.at, true);
        this.at += 4;
        return x;
      }
      case DOUBLE:
        return this.double();
      case STRING:
        return this.string();
      case BIGINT:
        return BigInt(this.string());
      case REF:
        return { $: this.count() };
      case KEPT:
        return KEEP;
      default:
        throw new RangeError(`graph snapshot: unknown value tag ${tag} at byte ${this.at - 1}`);
    }
  }

  /** Moves past the node at `at` (used once, to find where each node starts). */
  private skipNode(): void {
    const kind = this.byte();
    switch (kind) {
      case ARRAY: {
        const length = this.count();
        this.at += 1;
        for (let i = 0; i < length; i++) this.skipValue();
        return;
      }
      case MAP: {
        const size = this.count();
        for (let i = 0; i < 2 * size; i++) this.skipValue();
        return;
      }
      case SET: {
        const size = this.count();
        for (let i = 0; i < size; i++) this.skipValue();
        return;
      }
      case OBJECT: {
        this.at += 4 + 1; // class name, frozen
        const names = this.count();
        this.at += 4 * names;
        for (let i = 0; i < names; i++) this.skipValue();
        return;
      }
      case BUFFER:
        return;
      case VIEW:
        this.at += 4 + 8 + 8; // kind, byte offset, length
        this.skipValue();
        return;
      case CODEC:
        this.at += 4;
        return;
      default:
        throw new RangeError(`graph snapshot: unknown node kind ${kind} at byte ${this.at - 1}`);
    }
  }

  private skipValue(): void {
    const tag = this.byte();
    this.at += tag === INT || tag === STRING || tag === BIGINT || tag === REF ? 4 : tag === DOUBLE ? 8 : 0;
  }

  private byte(): number {
    if (this.at >= this.data.byteLength) throw new RangeError(`graph snapshot: ends inside a node (byte ${this.at} of ${this.data.byteLength})`);
    return this.data.getUint8(this.at++);
  }

  private count(): number {
    const n = this.data.getUint32(this.at, true);
    this.at += 4;
    return n;
  }

  private double(): number {
    const x = this.data.getFloat64(this.at, true);
    this.at += 8;
    return x;
  }

  private string(): string {
    const id = this.count();
    const s = this.snapshot.strings[id];
    if (s === undefined) throw new RangeError(`graph snapshot: no string ${id} (it has ${this.snapshot.strings.length})`);
    return s;
  }
}
