/** A keyed stream that counts the Beta draws made through betaDraws (how much of a Thompson head a request drew). */
import { KeyedStream } from '../../src/rng/index.js';

export class CountingStream extends KeyedStream {
  drawn = 0;

  override betaDraws(alpha: ArrayLike<number>, beta: ArrayLike<number>, out: Float64Array, from: number, to: number): void {
    this.drawn += to - from;
    super.betaDraws(alpha, beta, out, from, to);
  }
}
