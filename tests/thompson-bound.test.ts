/**
 * Thompson sampling at the candidate stage draws its head in order of each posterior's bound and
 * stops once no item left can pass the k-th best draw. The bound must hold for every draw the
 * keyed stream can make, and the candidates must be those of drawing the whole head.
 */
import { describe, expect, it } from 'vitest';
import { ThompsonExploreSource, topK } from '../src/recommender/explore/thompson-candidates.js';
import type { RecRequest } from '../src/recommender/types.js';
import { betaDrawBound, KeyedStream, Rng } from '../src/rng/index.js';
import { clickLog } from './support/click-log.js';
import { CountingStream } from './support/counting-stream.js';

const request = (userId: number, pastSessions: number, requestInSession: number): RecRequest => ({
  slateId: userId,
  userId,
  time: 0,
  hourOfDay: 0,
  device: 'mobile',
  requestInSession,
  pastSessions,
});

/** A head of 60 items, item i shown 40·(i + 1) times with clicks at a rate spread over 2–20%: some posteriors wide, most narrow. */
const shown = (i: number): number => 40 * (i + 1);
const clicked = (i: number): number => Math.round(shown(i) * (0.02 + 0.003 * ((i * 7) % 61)));
const grown = clickLog(Array.from({ length: 60 }, (_, i): [number, number, number] => [i, shown(i), clicked(i)]));

describe('the Beta draws of a keyed stream', () => {
  it('never pass betaDrawBound: shapes below 1, around 1 and in the thousands, over 20,000 keys each', () => {
    const shapes: [number, number][] = [[0.3, 0.7], [1, 1], [2.5, 40], [12, 300], [51, 1001], [400, 3000], [3000, 400], [0.05, 2000]];
    const stream = new KeyedStream('bound');
    const out = new Float64Array(1);
    for (const [a, b] of shapes) {
      const bound = betaDrawBound(a, b);
      let highest = 0;
      for (let key = 0; key < 20_000; key++) {
        stream.betaDrawsAt(key, a, b, [a], [b], out);
        highest = Math.max(highest, out[0]);
      }
      expect(highest, `Beta(${a}, ${b})`).toBeLessThanOrEqual(bound);
    }
    // Narrow posteriors have bounds well below 1, which is what lets a request stop early; a
    // second shape below 1 can draw as near 1 as it likes.
    expect(betaDrawBound(51, 1001)).toBeLessThan(0.13); // mean 0.048
    expect(betaDrawBound(400, 3000)).toBeLessThan(0.18); // mean 0.118
    expect(betaDrawBound(5, 0.5)).toBe(1);
  });

  it('a row drawn in pieces with betaDraws is the row betaDrawsAt draws, and leaves the stream where it does', () => {
    const alpha = [0.3, 1, 2.5, 40, 1e-6, 7, 0.9, 300, 12];
    const beta = [0.7, 1, 0.2, 3000, 1e-6, 7, 12, 5, 80];
    const whole = new KeyedStream('pieces');
    const pieces = new KeyedStream('pieces');
    for (let key = 0; key < 200; key++) {
      const expected = new Float64Array(alpha.length);
      whole.betaDrawsAt(key, 1, 2, alpha, beta, expected);
      const out = new Float64Array(alpha.length);
      pieces.at(key, 1, 2);
      const cut = key % alpha.length;
      pieces.betaDraws(alpha, beta, out, 0, cut);
      pieces.betaDraws(alpha, beta, out, cut, alpha.length);
      expect(Array.from(out)).toEqual(Array.from(expected));
      expect([pieces.rng.normal(), pieces.rng.next()]).toEqual([whole.rng.normal(), whole.rng.next()]);
    }
  });
});

describe('Thompson sampling at the candidate stage, drawn until the bound', () => {
  it('gives the candidates of drawing the whole head in bound order, for 600 requests', () => {
    const source = new ThompsonExploreSource({ reward: 'click', prior: [1, 1], k: 5, head: 60, mcDraws: 10 }, () => 60, new KeyedStream('explore'), new Rng('mc'));
    source.retrain(grown);
    const head = Array.from(source.head);
    // The posteriors as the log gives them, in the order of their bounds (ties to the head's order).
    const alpha = head.map((id) => 1 + clicked(id));
    const beta = head.map((id) => 1 + shown(id) - clicked(id));
    const bounds = head.map((_, h) => betaDrawBound(alpha[h], beta[h]));
    const order = head.map((_, h) => h).sort((g, h) => bounds[h] - bounds[g] || g - h);
    const reference = new KeyedStream('explore');
    const theta = new Float64Array(head.length);
    const requests = Array.from({ length: 600 }, (_, r) => request(r % 97, r % 5, r % 3));
    const served = source.generate(requests);
    requests.forEach((req, r) => {
      reference.betaDrawsAt(req.userId, req.pastSessions, req.requestInSession, order.map((h) => alpha[h]), order.map((h) => beta[h]), theta);
      const expected = topK(theta, 5).map((j) => head[order[j]]);
      expect(served[r].map((c) => c.itemId), `request ${r}`).toEqual(expected);
    });
  });

  it('stops early once the counts have grown, and draws the whole head while they are small', () => {
    const stream = new CountingStream('explore');
    const source = new ThompsonExploreSource({ reward: 'click', prior: [1, 1], k: 5, head: 60, mcDraws: 10 }, () => 60, stream, new Rng('mc'));
    const requests = Array.from({ length: 200 }, (_, r) => request(r, 0, 0));
    source.generate(requests); // before any retrain: every item at the prior, bound 1
    expect(stream.drawn).toBe(200 * 60);
    source.retrain(grown);
    stream.drawn = 0;
    source.generate(requests);
    // 41.9 of the 60 a request at these counts (the bounds sit 6.66 standard deviations out).
    expect(stream.drawn / requests.length).toBeLessThan(48);
  });
});
