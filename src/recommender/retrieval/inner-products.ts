/**
 * Inner products of a block of four queries with every item vector, for exact search, and of one
 * query with ranges of items, for an inverted file's lists. An exact-search score is the float64
 * sum of float64 products over d = 0..dim−1 in order (vectors are widened from float32 exactly);
 * a range score is the float32 sum of float32 products in the same order, each rounded (an
 * approximate index's scan, at twice the lanes a step). Either way the sums are the same whichever
 * kernel runs, so scores never depend on it.
 *
 * The fast kernels are small hand-assembled WebAssembly SIMD functions (exact search: two items
 * per f64x2 lane pair, four queries per pass; ranges: float32 quads in f32x4 lanes, eight items
 * of one query or four items of four queries per pass); where WebAssembly SIMD is unavailable
 * the same arithmetic runs in JavaScript. Each kernel also makes the top-k selection's full pass
 * over its own scores (CutScan, top-select.ts), eight scores per step in WebAssembly.
 */
import { checkpointClass } from '../../checkpoint/codecs.js';
import { aboveCut, type CutScan } from './top-select.js';

/** Queries scored together per pass over the items. */
export const QUERY_BLOCK = 4;

export interface InnerProducts extends CutScan {
  /**
   * Scores of the QUERY_BLOCK queries in `packed` (row-major, QUERY_BLOCK × dim; unused rows
   * zero) against every item: query b's score for item i is at `scores[b * stride + i]`.
   * The returned array is reused by the next call.
   */
  score(packed: Float64Array): { scores: Float64Array; stride: number };
}

/** The fastest kernel this runtime offers, over `count` row-major vectors of `dim`. */
export function innerProducts(vectors: Float32Array, count: number, dim: number): InnerProducts {
  return SIMD && dim > 0 ? new WasmInnerProducts(SIMD, vectors, count, dim) : new JsInnerProducts(vectors, count, dim);
}

/** One query against ranges of items, for an inverted file's lists (ivf.ts). */
export interface RangeInnerProducts extends CutScan {
  /**
   * Scores of `query` against the items `from` .. `from + count` (multiples of 8, as an inverted
   * file pads its lists), the sums `score` gives: item from + i's score goes to `[at + i]` of the
   * returned array, which every call returns (a query's scores over several ranges sit side by
   * side) and which holds RANGE_ROOM times the item count.
   */
  scoreRange(query: ArrayLike<number>, from: number, count: number, at: number): Float64Array;
  /**
   * scoreRange for QUERY_BLOCK queries over the same range in one pass (each item row is read
   * once for all of them): query b's scores go to `[at[b] + i]`, the same sums.
   */
  scoreRanges(queries: readonly ArrayLike<number>[], from: number, count: number, at: ArrayLike<number>): Float64Array;
}

/** Items a range kernel steps by. */
export const RANGE_STEP = 8;

/**
 * A range kernel's scores hold this many times its items: room for the scanned lists of dozens of
 * queries, so an inverted file scans a batch's queries in few parts and a list is scanned for
 * four of them at a time more often.
 */
export const RANGE_ROOM = 8;

/** The fastest range kernel this runtime offers, over `count` (a multiple of RANGE_STEP) row-major vectors of `dim`. */
export function rangeInnerProducts(vectors: Float32Array, count: number, dim: number): RangeInnerProducts {
  if (count % RANGE_STEP !== 0) throw new RangeError(`range inner products: ${count} items, not a multiple of ${RANGE_STEP}`);
  return SIMD && dim > 0 ? new WasmRangeInnerProducts(SIMD, vectors, count, dim) : new JsRangeInnerProducts(vectors, count, dim);
}

/** The JavaScript kernel: four queries against two items at a time. */
export class JsInnerProducts implements InnerProducts {
  private readonly wide: Float64Array;
  private readonly out: Float64Array;
  private readonly positions: Int32Array;

  constructor(
    vectors: Float32Array,
    private readonly count: number,
    private readonly dim: number,
  ) {
    this.wide = Float64Array.from(vectors);
    this.out = new Float64Array(QUERY_BLOCK * count);
    this.positions = new Int32Array(count);
  }

  above(from: number, count: number, lo: number, scale: number, cut: number): Int32Array {
    checkScan(from, count, this.out.length, this.positions.length);
    return this.positions.subarray(0, aboveCut(this.out, from, count, lo, scale, cut, this.positions));
  }

  score(packed: Float64Array): { scores: Float64Array; stride: number } {
    const { dim, wide, count, out } = this;
    const q1 = dim;
    const q2 = 2 * dim;
    const q3 = 3 * dim;
    let i = 0;
    for (; i + 1 < count; i += 2) {
      const x = i * dim;
      const y = x + dim;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0; // prettier-ignore
      for (let d = 0; d < dim; d++) {
        const v = wide[x + d];
        const w = wide[y + d];
        const p0 = packed[d];
        const p1 = packed[q1 + d];
        const p2 = packed[q2 + d];
        const p3 = packed[q3 + d];
        a0 += p0 * v;
        a1 += p1 * v;
        a2 += p2 * v;
        a3 += p3 * v;
        b0 += p0 * w;
        b1 += p1 * w;
        b2 += p2 * w;
        b3 += p3 * w;
      }
      out[i] = a0;
      out[count + i] = a1;
      out[2 * count + i] = a2;
      out[3 * count + i] = a3;
      out[i + 1] = b0;
      out[count + i + 1] = b1;
      out[2 * count + i + 1] = b2;
      out[3 * count + i + 1] = b3;
    }
    for (; i < count; i++) {
      const x = i * dim;
      for (let b = 0; b < QUERY_BLOCK; b++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += packed[b * dim + d] * wide[x + d];
        out[b * count + i] = s;
      }
    }
    return { scores: out, stride: count };
  }
}

/**
 * The WebAssembly kernel. Its memory holds the items as pairs interleaved by dimension (pair p,
 * dimension d: items 2p and 2p+1 side by side, so one 128-bit load feeds both lanes; an odd last
 * item is paired with zeros), then the packed queries, then the scores, then the positions a
 * selection's pass finds (CutScan).
 */
class WasmInnerProducts implements InnerProducts {
  private readonly scan: ScanFunction;
  private readonly gather: GatherFunction;
  private readonly queries: Float64Array;
  private readonly scores: Float64Array;
  private readonly positions: Int32Array;
  private readonly queriesAt: number;
  private readonly scoresAt: number;
  private readonly positionsAt: number;
  private readonly pairs: number;

  constructor(
    simd: CompiledKernel,
    vectors: Float32Array,
    private readonly count: number,
    private readonly dim: number,
  ) {
    const pairs = Math.ceil(count / 2);
    this.pairs = pairs;
    this.queriesAt = pairs * dim * 16;
    this.scoresAt = this.queriesAt + QUERY_BLOCK * dim * 8;
    this.positionsAt = this.scoresAt + QUERY_BLOCK * pairs * 16;
    const { exports, memory } = instantiate(simd, this.positionsAt + pairs * 2 * 4);
    this.scan = exports.scan as ScanFunction;
    this.gather = exports.gatherAbove as GatherFunction;
    const items = new Float64Array(memory.buffer, 0, pairs * dim * 2);
    for (let i = 0; i < count; i++) {
      const base = (i >> 1) * dim * 2 + (i & 1);
      for (let d = 0; d < dim; d++) items[base + 2 * d] = vectors[i * dim + d];
    }
    this.queries = new Float64Array(memory.buffer, this.queriesAt, QUERY_BLOCK * dim);
    this.scores = new Float64Array(memory.buffer, this.scoresAt, QUERY_BLOCK * pairs * 2);
    this.positions = new Int32Array(memory.buffer, this.positionsAt, pairs * 2);
  }

  static {
    checkpointKernel(WasmInnerProducts, (simd, { vectors, count, dim }) => new WasmInnerProducts(simd, vectors, count, dim), 'the exact-search kernel');
  }

  state(): KernelState {
    return { vectors: this.vectors(), count: this.count, dim: this.dim };
  }

  /** The item vectors, read back from the kernel's memory (float32 widened exactly, so narrowing gives them back). */
  vectors(): Float32Array {
    const { count, dim, queries } = this;
    const items = new Float64Array(queries.buffer, 0, this.pairs * dim * 2);
    const vectors = new Float32Array(count * dim);
    for (let i = 0; i < count; i++) {
      const base = (i >> 1) * dim * 2 + (i & 1);
      for (let d = 0; d < dim; d++) vectors[i * dim + d] = items[base + 2 * d];
    }
    return vectors;
  }

  score(packed: Float64Array): { scores: Float64Array; stride: number } {
    this.queries.set(packed);
    this.scan(this.queriesAt, 0, this.pairs, this.dim, this.scoresAt);
    return { scores: this.scores, stride: 2 * this.pairs };
  }

  above(from: number, count: number, lo: number, scale: number, cut: number): Int32Array {
    checkScan(from, count, this.scores.length, this.positions.length);
    return this.positions.subarray(0, this.gather(this.scoresAt + from * 8, count, lo, scale, cut, this.positionsAt));
  }
}

/** The JavaScript range kernel. */
export class JsRangeInnerProducts implements RangeInnerProducts {
  private readonly out: Float64Array;
  private readonly positions: Int32Array;
  /** The query rounded to float32 once per call, as the WebAssembly kernel's query memory holds it. */
  private readonly query: Float32Array;

  constructor(
    private readonly vectors: Float32Array,
    private readonly count: number,
    private readonly dim: number,
  ) {
    this.out = new Float64Array(RANGE_ROOM * count);
    this.positions = new Int32Array(count);
    this.query = new Float32Array(dim);
  }

  above(from: number, count: number, lo: number, scale: number, cut: number): Int32Array {
    checkScan(from, count, this.out.length, this.positions.length);
    return this.positions.subarray(0, aboveCut(this.out, from, count, lo, scale, cut, this.positions));
  }

  scoreRange(query: ArrayLike<number>, from: number, count: number, at: number): Float64Array {
    checkRange(from, count, at, this.count);
    const { dim, vectors, out, query: q } = this;
    for (let d = 0; d < dim; d++) q[d] = query[d];
    for (let i = 0; i < count; i++) {
      const x = (from + i) * dim;
      let s = 0;
      // In float32, as the WebAssembly kernel's f32x4 lanes add: each product and each sum rounded.
      for (let d = 0; d < dim; d++) s = Math.fround(s + Math.fround(q[d] * vectors[x + d]));
      out[at + i] = s;
    }
    return out;
  }

  scoreRanges(queries: readonly ArrayLike<number>[], from: number, count: number, at: ArrayLike<number>): Float64Array {
    checkBlock(queries);
    for (let b = 0; b < QUERY_BLOCK; b++) this.scoreRange(queries[b], from, count, at[b]);
    return this.out;
  }
}

/**
 * The WebAssembly range kernel. Its memory holds the items as float32 quads interleaved by
 * dimension (quad p, dimension d: items 4p .. 4p+3 side by side), half the bytes of the exact
 * kernel's pairs of float64 (a long scan waits on memory more than on arithmetic), then the
 * query, then the scores, then the positions a selection's pass finds. Sums are float32 (f32x4
 * lanes, four items a step: half the instructions of float64 lanes over widened values, 21% less
 * a query at 200k items), stored widened to float64 for the selection.
 */
class WasmRangeInnerProducts implements RangeInnerProducts {
  private readonly scan: ScanFunction;
  private readonly scanBlock: BlockScanFunction;
  private readonly gather: GatherFunction;
  /** QUERY_BLOCK rows of dim: a block's queries, or the one query of scoreRange in the first. */
  private readonly query: Float32Array;
  private readonly scores: Float64Array;
  /** Positions CutScan found: a selection covers at most the item count (a query's lists are distinct). */
  private readonly positions: Int32Array;
  private readonly queryAt: number;
  private readonly scoresAt: number;
  private readonly positionsAt: number;

  constructor(
    simd: CompiledKernel,
    vectors: Float32Array,
    private readonly count: number,
    private readonly dim: number,
  ) {
    this.queryAt = count * dim * 4;
    this.scoresAt = this.queryAt + QUERY_BLOCK * dim * 4;
    this.positionsAt = this.scoresAt + RANGE_ROOM * count * 8;
    const { exports, memory } = instantiate(simd, this.positionsAt + count * 4);
    this.scan = exports.scanQuads as ScanFunction;
    this.scanBlock = exports.scanQuadsBlock as BlockScanFunction;
    this.gather = exports.gatherAbove as GatherFunction;
    const items = new Float32Array(memory.buffer, 0, count * dim);
    for (let i = 0; i < count; i++) {
      const base = (i >> 2) * dim * 4 + (i & 3);
      for (let d = 0; d < dim; d++) items[base + 4 * d] = vectors[i * dim + d];
    }
    this.query = new Float32Array(memory.buffer, this.queryAt, QUERY_BLOCK * dim);
    this.scores = new Float64Array(memory.buffer, this.scoresAt, RANGE_ROOM * count);
    this.positions = new Int32Array(memory.buffer, this.positionsAt, count);
  }

  static {
    checkpointKernel(WasmRangeInnerProducts, (simd, { vectors, count, dim }) => new WasmRangeInnerProducts(simd, vectors, count, dim), "the inverted file's kernel");
  }

  state(): KernelState {
    return { vectors: this.vectors(), count: this.count, dim: this.dim };
  }

  /** The item vectors, read back from the kernel's memory. */
  vectors(): Float32Array {
    const { count, dim } = this;
    const items = new Float32Array(this.query.buffer, 0, count * dim);
    const vectors = new Float32Array(count * dim);
    for (let i = 0; i < count; i++) {
      const base = (i >> 2) * dim * 4 + (i & 3);
      for (let d = 0; d < dim; d++) vectors[i * dim + d] = items[base + 4 * d];
    }
    return vectors;
  }

  scoreRange(query: ArrayLike<number>, from: number, count: number, at: number): Float64Array {
    checkRange(from, count, at, this.count);
    const { dim } = this;
    for (let d = 0; d < dim; d++) this.query[d] = query[d];
    this.scan(this.queryAt, (from / 4) * dim * 16, count / RANGE_STEP, dim, this.scoresAt + at * 8);
    return this.scores;
  }

  scoreRanges(queries: readonly ArrayLike<number>[], from: number, count: number, at: ArrayLike<number>): Float64Array {
    checkBlock(queries);
    for (let b = 0; b < QUERY_BLOCK; b++) checkRange(from, count, at[b], this.count);
    const { dim, query } = this;
    for (let b = 0; b < QUERY_BLOCK; b++) {
      const q = queries[b];
      for (let d = 0; d < dim; d++) query[b * dim + d] = q[d];
    }
    const { scoresAt } = this;
    this.scanBlock(this.queryAt, (from / 4) * dim * 16, count / 4, dim, scoresAt + at[0] * 8, scoresAt + at[1] * 8, scoresAt + at[2] * 8, scoresAt + at[3] * 8);
    return this.scores;
  }

  above(from: number, count: number, lo: number, scale: number, cut: number): Int32Array {
    checkScan(from, count, this.scores.length, this.positions.length);
    return this.positions.subarray(0, this.gather(this.scoresAt + from * 8, count, lo, scale, cut, this.positionsAt));
  }
}

/** A new instance of the kernels' module (each kernel has memory of its own), its memory grown to hold `bytes`. */
function instantiate(simd: CompiledKernel, bytes: number): { readonly exports: Record<string, unknown>; readonly memory: WasmMemory } {
  const { exports } = new simd.api.Instance(simd.module);
  const memory = exports.memory as WasmMemory;
  const pages = Math.ceil(bytes / 65536);
  if (pages > memory.buffer.byteLength / 65536) memory.grow(pages - memory.buffer.byteLength / 65536);
  return { exports, memory };
}

/** What a checkpoint keeps of a WebAssembly kernel. */
interface KernelState {
  readonly vectors: Float32Array;
  readonly count: number;
  readonly dim: number;
}

/** A kernel's memory lives outside JavaScript's objects: a checkpoint keeps its vectors and loads them into a new instance. */
function checkpointKernel<K extends { state(): KernelState }>(cls: { readonly prototype: K; readonly name: string }, make: (simd: CompiledKernel, state: KernelState) => K, what: string): void {
  checkpointClass(cls, {
    save: (kernel) => kernel.state(),
    restore: (state) => {
      if (!SIMD) throw new Error(`checkpoint: ${what} was saved where WebAssembly SIMD ran, and this runtime has none`);
      return make(SIMD, state as KernelState);
    },
  });
}

/** A block kernel's queries: exactly QUERY_BLOCK of them. */
function checkBlock(queries: readonly ArrayLike<number>[]): void {
  if (queries.length !== QUERY_BLOCK) throw new RangeError(`range inner products: a block of ${queries.length} queries, expected ${QUERY_BLOCK}`);
}

/** A range kernel's arguments: whole steps of items inside it, scores inside RANGE_ROOM times the item count. */
function checkRange(from: number, count: number, at: number, items: number): void {
  const steps = from % RANGE_STEP === 0 && count % RANGE_STEP === 0;
  if (!(steps && Number.isInteger(at) && from >= 0 && count >= 0 && at >= 0 && from + count <= items && at + count <= RANGE_ROOM * items)) {
    throw new RangeError(`range inner products: items ${from} .. ${from + count} of ${items} to ${at} (whole steps of ${RANGE_STEP}; scores within ${RANGE_ROOM * items})`);
  }
}

/** CutScan's arguments: inside the kernel's scores, and no more positions than it has room for. */
function checkScan(from: number, count: number, scores: number, room: number): void {
  if (!(Number.isInteger(from) && Number.isInteger(count) && from >= 0 && count >= 0 && from + count <= scores && count <= room)) {
    throw new RangeError(`inner products: a pass over scores ${from} .. ${from + count} of ${scores} (at most ${room} at once)`);
  }
}

/**
 * scan(q, items, pairs, dim, out): for each item pair p and query b < 4,
 *   out[b][2p .. 2p+1] = Σ_d q[b][d] · (item 2p, item 2p+1)[d]   (f64x2, d ascending)
 * Locals: 0 q, 1 items, 2 pairs, 3 dim, 4 out; i32 5 query stride, 6 item pointer, 7 query
 * pointer, 8 dims left, 9 out pointer, 10 out stride, 11 2×query stride, 12 3×query stride;
 * v128 13–16 the four sums, 17 the item pair. dim must be at least 1.
 */
const SCAN_BODY: readonly number[] = [
  // locals: 8 × i32, 5 × v128
  0x02, 0x08, 0x7f, 0x05, 0x7b,
  // query stride = dim << 3; out stride = pairs << 4; 2× and 3× the query stride
  0x20, 3, 0x41, 3, 0x74, 0x21, 5,
  0x20, 2, 0x41, 4, 0x74, 0x21, 10,
  0x20, 5, 0x41, 1, 0x74, 0x21, 11,
  0x20, 5, 0x20, 11, 0x6a, 0x21, 12,
  // item pointer = items; out pointer = out
  0x20, 1, 0x21, 6,
  0x20, 4, 0x21, 9,
  0x02, 0x40, // block
  0x20, 2, 0x45, 0x0d, 0, // no pairs: done
  0x03, 0x40, // loop over pairs
  ...[13, 14, 15, 16].flatMap((local) => [0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x21, local]),
  0x20, 0, 0x21, 7, // query pointer = q
  0x20, 3, 0x21, 8, // dims left = dim
  0x03, 0x40, // loop over dimensions
  0x20, 6, 0xfd, 0x00, 4, 0, 0x21, 17, // pair = v128.load(item pointer)
  // sum_b = sum_b + splat(q[b][d]) * pair
  ...[
    [13, []],
    [14, [0x20, 5, 0x6a]],
    [15, [0x20, 11, 0x6a]],
    [16, [0x20, 12, 0x6a]],
  ].flatMap(([local, offset]) => [0x20, local as number, 0x20, 7, ...(offset as number[]), 0xfd, 0x0a, 3, 0, 0x20, 17, 0xfd, 0xf2, 0x01, 0xfd, 0xf0, 0x01, 0x21, local as number]),
  0x20, 6, 0x41, 16, 0x6a, 0x21, 6, // item pointer += 16
  0x20, 7, 0x41, 8, 0x6a, 0x21, 7, // query pointer += 8
  0x20, 8, 0x41, 1, 0x6b, 0x22, 8, 0x0d, 0, // while --dims left
  0x0b,
  // out[b] at out pointer + b × out stride
  0x20, 9, 0x20, 13, 0xfd, 0x0b, 4, 0,
  0x20, 9, 0x20, 10, 0x6a, 0x20, 14, 0xfd, 0x0b, 4, 0,
  0x20, 9, 0x20, 10, 0x41, 1, 0x74, 0x6a, 0x20, 15, 0xfd, 0x0b, 4, 0,
  0x20, 9, 0x20, 10, 0x41, 3, 0x6c, 0x6a, 0x20, 16, 0xfd, 0x0b, 4, 0,
  0x20, 9, 0x41, 16, 0x6a, 0x21, 9, // out pointer += 16
  0x20, 2, 0x41, 1, 0x6b, 0x22, 2, 0x0d, 0, // while --pairs
  0x0b,
  0x0b, // end block
  0x0b, // end function
]; // prettier-ignore

/**
 * scanQuads(q, items, groups, dim, out): one float32 query against `groups` groups of two float32 quads,
 *   out[8g + j] = f64(Σ_d q[d] · (item 8g + j)[d])   (f32x4: each product and each sum rounded to float32, d ascending)
 * Locals: 0 q, 1 items, 2 groups, 3 dim, 4 out; i32 5 quad stride, 6 item pointer, 7 query
 * pointer, 8 dims left, 9 out pointer, 10 the second quad's pointer; v128 11 the sums of the
 * group's first quad, 12 of its second, 13 the query's value.
 */
const SCAN_QUADS_BODY: readonly number[] = [
  // locals: 6 × i32, 3 × v128
  0x02, 0x06, 0x7f, 0x03, 0x7b,
  0x20, 3, 0x41, 4, 0x74, 0x21, 5, // quad stride = dim << 4
  0x20, 1, 0x21, 6, // item pointer = items
  0x20, 4, 0x21, 9, // out pointer = out
  0x02, 0x40, // block
  0x20, 2, 0x45, 0x0d, 0, // no groups: done
  0x03, 0x40, // loop over groups
  ...[11, 12].flatMap((local) => [0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x21, local]),
  0x20, 0, 0x21, 7, // query pointer = q
  0x20, 3, 0x21, 8, // dims left = dim
  0x03, 0x40, // loop over dimensions
  0x20, 7, 0xfd, 0x09, 2, 0, 0x21, 13, // value = v128.load32_splat(q[d])
  0x20, 6, 0x20, 5, 0x6a, 0x21, 10, // second quad = item pointer + quad stride
  // sum = sum + value * quad (f32x4.mul, f32x4.add)
  ...[
    [11, 6],
    [12, 10],
  ].flatMap(([sum, pointer]) => [0x20, sum, 0x20, 13, 0x20, pointer, 0xfd, 0x00, 4, 0, 0xfd, 0xe6, 0x01, 0xfd, 0xe4, 0x01, 0x21, sum]),
  0x20, 6, 0x41, 16, 0x6a, 0x21, 6, // item pointer += 16
  0x20, 7, 0x41, 4, 0x6a, 0x21, 7, // query pointer += 4
  0x20, 8, 0x41, 1, 0x6b, 0x22, 8, 0x0d, 0, // while --dims left
  0x0b,
  ...[11, 12].flatMap((sum, j) => widenedStores(9, sum, 32 * j)),
  0x20, 9, 0x41, 0xc0, 0x00, 0x6a, 0x21, 9, // out pointer += 64 (i32.const is signed LEB128)
  0x20, 6, 0x20, 5, 0x6a, 0x21, 6, // item pointer += quad stride: past the second quad
  0x20, 2, 0x41, 1, 0x6b, 0x22, 2, 0x0d, 0, // while --groups
  0x0b,
  0x0b, // end block
  0x0b, // end function
]; // prettier-ignore

/**
 * scanQuadsBlock(q, items, quads, dim, out0, out1, out2, out3): four float32 queries (rows of dim
 * at q) against `quads` float32 quads, each quad read once for all four:
 *   out_b[4p + j] = f64(Σ_d q[b][d] · (item 4p + j)[d])   (f32x4, d ascending: scanQuads' sums)
 * Locals: 0 q, 1 items, 2 quads, 3 dim, 4–7 the out pointers; i32 8 query stride, 9 item
 * pointer, 10 query pointer, 11 dims left, 12 2× and 13 3× the query stride; v128 14 the quad,
 * 15 a query's value, 16–19 the sums of queries 0–3.
 */
const SCAN_QUADS_BLOCK_BODY: readonly number[] = [
  // locals: 6 × i32, 6 × v128
  0x02, 0x06, 0x7f, 0x06, 0x7b,
  0x20, 3, 0x41, 2, 0x74, 0x21, 8, // query stride = dim << 2
  0x20, 8, 0x41, 1, 0x74, 0x21, 12,
  0x20, 8, 0x20, 12, 0x6a, 0x21, 13,
  0x20, 1, 0x21, 9, // item pointer = items
  0x02, 0x40, // block
  0x20, 2, 0x45, 0x0d, 0, // no quads: done
  0x03, 0x40, // loop over quads
  ...[16, 17, 18, 19].flatMap((local) => [0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x21, local]),
  0x20, 0, 0x21, 10, // query pointer = q
  0x20, 3, 0x21, 11, // dims left = dim
  0x03, 0x40, // loop over dimensions
  0x20, 9, 0xfd, 0x00, 4, 0, 0x21, 14, // quad = v128.load(item pointer)
  // value = v128.load32_splat(q[b][d]); sum of query b += value * quad
  ...[[], [0x20, 8, 0x6a], [0x20, 12, 0x6a], [0x20, 13, 0x6a]].flatMap((offset, b) => [
    0x20, 10, ...offset, 0xfd, 0x09, 2, 0, 0x21, 15,
    0x20, 16 + b, 0x20, 15, 0x20, 14, 0xfd, 0xe6, 0x01, 0xfd, 0xe4, 0x01, 0x21, 16 + b,
  ]),
  0x20, 9, 0x41, 16, 0x6a, 0x21, 9, // item pointer += 16: after the last dimension, the next quad
  0x20, 10, 0x41, 4, 0x6a, 0x21, 10, // query pointer += 4
  0x20, 11, 0x41, 1, 0x6b, 0x22, 11, 0x0d, 0, // while --dims left
  0x0b,
  // out_b[4p .. 4p+3], then out_b += 32
  ...[4, 5, 6, 7].flatMap((pointer, b) => [...widenedStores(pointer, 16 + b, 0), 0x20, pointer, 0x41, 32, 0x6a, 0x21, pointer]),
  0x20, 2, 0x41, 1, 0x6b, 0x22, 2, 0x0d, 0, // while --quads
  0x0b,
  0x0b, // end block
  0x0b, // end function
]; // prettier-ignore

/**
 * Stores the four float32 sums in local `sum` as float64 at the address in local `pointer` plus
 * `offset`: the low two widened (f64x2.promote_low_f32x4), then the high two, moved down by a
 * shuffle and widened, 16 bytes on.
 */
function widenedStores(pointer: number, sum: number, offset: number): number[] {
  const highToLow = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
  return [
    0x20, pointer, 0x20, sum, 0xfd, 0x5f, 0xfd, 0x0b, 4, offset,
    0x20, pointer, 0x20, sum, 0x20, sum, 0xfd, 0x0d, ...highToLow, 0xfd, 0x5f, 0xfd, 0x0b, 4, offset + 16,
  ]; // prettier-ignore
}

/**
 * gatherAbove(scores, count, lo, scale, cut, out) → found: writes to out (i32) each i < count,
 * ascending, with (scores[i] − lo) · scale ≥ cut (f64: the difference, the product and the
 * comparison as JavaScript does them, NaN failing), and returns how many. Eight scores a step are
 * tested as four f64x2 lanes whose results make an eight-bit mask, each set bit written; the last
 * part step is tested one by one.
 * Locals: 0 scores, 1 count, 2 lo, 3 scale, 4 cut, 5 out; i32 6 i, 7 found, 8 the step's mask;
 * v128 9 lo, 10 scale, 11 cut, splatted.
 */
const GATHER_ABOVE_BODY: readonly number[] = [
  // locals: 3 × i32, 3 × v128
  0x02, 0x03, 0x7f, 0x03, 0x7b,
  0x20, 2, 0xfd, 0x14, 0x21, 9, // splat(lo)
  0x20, 3, 0xfd, 0x14, 0x21, 10, // splat(scale)
  0x20, 4, 0xfd, 0x14, 0x21, 11, // splat(cut)
  0x02, 0x40, // block: whole steps done
  0x03, 0x40, // loop over steps of eight
  0x20, 6, 0x41, 8, 0x6a, 0x20, 1, 0x4b, 0x0d, 1, // i + 8 > count: to the last part step
  // mask bit 2j + lane: (v − lo) · scale ≥ cut for the lanes of the j-th pair (i64x2.bitmask)
  ...[0, 16, 32, 48].flatMap((offset, j) => [
    0x20, 0, 0x20, 6, 0x41, 3, 0x74, 0x6a, 0xfd, 0x00, 4, offset,
    0x20, 9, 0xfd, 0xf1, 0x01, 0x20, 10, 0xfd, 0xf2, 0x01, 0x20, 11, 0xfd, 0x4c, 0xfd, 0xc4, 0x01,
    ...(j > 0 ? [0x41, 2 * j, 0x74, 0x72] : []),
  ]),
  0x21, 8,
  0x02, 0x40, // block: the mask's bits written
  0x03, 0x40, // loop over set bits, lowest first
  0x20, 8, 0x45, 0x0d, 1, // none left
  0x20, 5, 0x20, 7, 0x41, 2, 0x74, 0x6a, 0x20, 6, 0x20, 8, 0x68, 0x6a, 0x36, 2, 0, // out[found] = i + ctz(mask)
  0x20, 7, 0x41, 1, 0x6a, 0x21, 7, // found++
  0x20, 8, 0x20, 8, 0x41, 1, 0x6b, 0x71, 0x21, 8, // mask &= mask − 1
  0x0c, 0,
  0x0b,
  0x0b,
  0x20, 6, 0x41, 8, 0x6a, 0x21, 6, // i += 8
  0x0c, 0,
  0x0b,
  0x0b,
  0x02, 0x40, // block: the last part step, one by one
  0x03, 0x40,
  0x20, 6, 0x20, 1, 0x4f, 0x0d, 1, // i ≥ count: done
  0x20, 0, 0x20, 6, 0x41, 3, 0x74, 0x6a, 0x2b, 3, 0, // scores[i]
  0x20, 2, 0xa1, 0x20, 3, 0xa2, 0x20, 4, 0x66, // (· − lo) · scale ≥ cut
  0x04, 0x40, 0x20, 5, 0x20, 7, 0x41, 2, 0x74, 0x6a, 0x20, 6, 0x36, 2, 0, 0x20, 7, 0x41, 1, 0x6a, 0x21, 7, 0x0b, // out[found++] = i
  0x20, 6, 0x41, 1, 0x6a, 0x21, 6, // i++
  0x0c, 0,
  0x0b,
  0x0b,
  0x20, 7, // found
  0x0b, // end function
]; // prettier-ignore

function section(id: number, contents: readonly number[]): number[] {
  return [id, ...leb128(contents.length), ...contents];
}

function leb128(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

const ascii = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];

const MODULE_BYTES = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  // types: (i32 ×5) → (), (i32 ×8) → (), (i32, i32, f64, f64, f64, i32) → i32
  ...section(1, [3, 0x60, 5, ...new Array<number>(5).fill(0x7f), 0, 0x60, 8, ...new Array<number>(8).fill(0x7f), 0, 0x60, 6, 0x7f, 0x7f, 0x7c, 0x7c, 0x7c, 0x7f, 1, 0x7f]),
  ...section(3, [4, 0, 0, 1, 2]), // scan and scanQuads of type 0, scanQuadsBlock of type 1, gatherAbove of type 2
  ...section(5, [1, 0x00, 1]), // one memory, at least one page
  ...section(7, [5, ...ascii('scan'), 0x00, 0, ...ascii('scanQuads'), 0x00, 1, ...ascii('scanQuadsBlock'), 0x00, 2, ...ascii('gatherAbove'), 0x00, 3, ...ascii('memory'), 0x02, 0]),
  ...section(10, [4, ...[SCAN_BODY, SCAN_QUADS_BODY, SCAN_QUADS_BLOCK_BODY, GATHER_ABOVE_BODY].flatMap((body) => [...leb128(body.length), ...body])]),
]);

/** The parts of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
interface WasmModule {
  readonly kind?: 'module';
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule) => { readonly exports: Record<string, unknown> };
}
type ScanFunction = (queries: number, items: number, pairs: number, dim: number, out: number) => void;
type BlockScanFunction = (queries: number, items: number, quads: number, dim: number, out0: number, out1: number, out2: number, out3: number) => void;
type GatherFunction = (scores: number, count: number, lo: number, scale: number, cut: number, out: number) => number;

const WASM = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface CompiledKernel {
  readonly api: WasmApi;
  readonly module: WasmModule;
}

/** Compiled once; undefined where the runtime has no WebAssembly SIMD. */
const SIMD: CompiledKernel | undefined = WASM?.validate(MODULE_BYTES) ? { api: WASM, module: new WASM.Module(MODULE_BYTES) } : undefined;

/** Whether the WebAssembly kernel is in use (for tests and benchmarks). */
export const SIMD_AVAILABLE = SIMD !== undefined;

