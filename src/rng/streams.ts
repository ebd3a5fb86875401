import { Rng } from './rng.js';
import { KeyedStream } from './keyed.js';

/**
 * Named, independent random streams derived from one root seed.
 *
 * Each component draws from the stream for its own path (e.g.
 * 'world/choice'), so adding draws in one component never shifts the numbers
 * another sees, and runs stay comparable when only one part changes.
 *
 * stream(path) returns a fresh Rng seeded with `${seed}/${path}` on every
 * call: two calls with the same path give two identical sequences, not one
 * shared sequence. A component should therefore ask for its stream once and
 * keep it.
 *
 * Seeds are used as strings, so 42 and '42' give the same streams.
 */
export class RandomStreams {
  readonly seed: number | string;
  // Path prefix of a child view, with its trailing '/'; '' at the root.
  private prefix = '';

  constructor(seed: number | string) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) {
      throw new RangeError(`RandomStreams: seed must be a finite number or a string (got ${seed})`);
    }
    this.seed = seed;
  }

  /** A fresh stream for path, seeded `${seed}/${path}` (prefixed in a child). */
  stream(path: string): Rng {
    requirePath('stream', path);
    return new Rng(`${this.seed}/${this.prefix}${path}`);
  }

  /** A keyed stream for path (rng/keyed.ts), seeded like stream(path). */
  keyed(path: string): KeyedStream {
    requirePath('keyed', path);
    return new KeyedStream(`${this.seed}/${this.prefix}${path}`);
  }

  /** A view whose paths sit under prefix: child('a').stream('b') equals stream('a/b'). */
  child(prefix: string): RandomStreams {
    requirePath('child', prefix);
    const view = new RandomStreams(this.seed);
    view.prefix = `${this.prefix}${prefix}/`;
    return view;
  }
}

// An empty path would silently alias the parent's namespace ('a//b').
function requirePath(method: string, path: string): void {
  if (path.length === 0) throw new RangeError(`RandomStreams.${method}: path must not be empty`);
}
