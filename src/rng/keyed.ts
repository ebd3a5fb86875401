/**
 * A stream whose draws are addressed by a key instead of by their order: `at(a, b, c)` positions
 * it, and the same key always gives the same draws, whatever was drawn before or for other keys.
 *
 * This is what keeps common random numbers paired across twin worlds. With a stream read in
 * order, one user clicking in one arm and not in the other hands every later draw to a different
 * user; keyed by (user, session, request), a user's n-th request gets the same uniforms in every
 * arm, so where the arms show that user similar slates the user behaves alike.
 *
 * The generator is Mulberry32 started from a 32-bit hash of the stream's seed and the key
 * (MurmurHash3's mixing): short sequences per key, each statistically independent of the others.
 */
import { Rng, type UniformSource } from './rng.js';

const TWO_POW_32 = 4294967296;

export class KeyedStream {
  readonly rng: Rng;
  private readonly base: number;
  private state = 0;

  constructor(seed: string) {
    this.base = hashString(seed);
    const next = (): number => this.next32() / TWO_POW_32;
    const source: UniformSource = Object.assign(next, { double: () => (this.next32() * 2 ** 21 + (this.next32() >>> 11)) / 2 ** 53 });
    this.rng = new Rng(source);
  }

  /** The stream's Rng, positioned at the start of key (a, b, c): whole numbers, each below 2^32. */
  at(a: number, b = 0, c = 0): Rng {
    let h = mix(this.base ^ Math.imul(a >>> 0, 0xcc9e2d51));
    h = mix(h ^ Math.imul(b >>> 0, 0x1b873593));
    this.state = mix(h ^ Math.imul(c >>> 0, 0xe6546b64));
    this.rng.dropSpareNormal();
    return this.rng;
  }

  /** Mulberry32: one 32-bit output per step. */
  private next32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the seed's UTF-16 code units, then mixed. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix(h >>> 0);
}
