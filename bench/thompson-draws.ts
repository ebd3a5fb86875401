/**
 * The draws a Thompson policy makes per request: one Beta draw for each of the candidate stage's
 * 500 head items, from a keyed stream positioned per request (as thompson-candidates.ts draws
 * them): by `rng.beta` per item, and in one loop by `KeyedStream.betaDrawsAt` (the same numbers).
 * Prints nanoseconds per draw, the best of five rounds of 20,000 requests. Then the candidate
 * stage's own requests (ThompsonExploreSource, k = 10), which draw the head in order of each
 * posterior's bound and stop once no item left can take a place: microseconds and draws a
 * request for heads whose items were each shown about `trials` times (a tenth to ten times
 * that, click rates 2–10%).
 *
 *   npx tsx bench/thompson-draws.ts
 */
import { ThompsonExploreSource, topK } from '../src/recommender/explore/thompson-candidates.js';
import type { RecRequest } from '../src/recommender/types.js';
import { KeyedStream, Rng } from '../src/rng/index.js';
import { clickLog } from '../tests/support/click-log.js';
import { CountingStream } from '../tests/support/counting-stream.js';

const HEAD = 500;
const REQUESTS = 20_000;
// Posteriors of items with 0–300 successes in 0–3,000 trials, like a head after a few days.
const alpha = Float64Array.from({ length: HEAD }, (_, h) => 1 + ((h * 7) % 300));
const beta = Float64Array.from({ length: HEAD }, (_, h) => 1 + ((h * 13) % 3000));
const stream = new KeyedStream('thompson-draws');
const theta = new Float64Array(HEAD);
function nsPerDraw(drawRequest: (r: number) => void): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let r = 0; r < REQUESTS; r++) drawRequest(r);
    best = Math.min(best, ((performance.now() - started) * 1e6) / (REQUESTS * HEAD));
  }
  return best;
}
const single = nsPerDraw((r) => {
  const rng = stream.at(r, 0, 0);
  for (let h = 0; h < HEAD; h++) theta[h] = rng.beta(alpha[h], beta[h]);
});
const row = nsPerDraw((r) => stream.betaDrawsAt(r, 0, 0, alpha, beta, theta));
console.log(`Beta draws for ${HEAD} posteriors a request (best of 5 rounds of ${REQUESTS.toLocaleString('en')} requests):`);
console.log(`  rng.beta per item:  ${single.toFixed(1)} ns a draw`);
console.log(`  betaDrawsAt (row):  ${row.toFixed(1)} ns a draw`);

const requests = Array.from({ length: REQUESTS }, (_, r): RecRequest => ({ slateId: r, userId: r, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 }));
console.log(`The candidate stage's requests, a head of ${HEAD}, k = 10 (best of 5 rounds of ${REQUESTS.toLocaleString('en')}):`);
/** Microseconds a request, the best of five rounds. */
function usPerRequest(serve: () => void): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    serve();
    best = Math.min(best, ((performance.now() - started) * 1e3) / REQUESTS);
  }
  return best;
}

for (const trials of [0, 30, 300, 1000, 3000]) {
  // Item h shown trials · 10^(2h/HEAD − 1) times (a tenth to ten times `trials`), clicked at 2–10%.
  const shown = Array.from({ length: HEAD }, (_, h) => Math.round(trials * 10 ** ((2 * h) / HEAD - 1)));
  const clicked = shown.map((n, h) => Math.round(n * (0.02 + (0.08 * ((h * 37) % HEAD)) / HEAD)));
  const stream = new CountingStream('thompson-candidates');
  const source = new ThompsonExploreSource({ reward: 'click', prior: [1, 1], k: 10, head: HEAD, mcDraws: 1 }, () => HEAD, stream, new Rng('mc'));
  source.retrain(clickLog(shown.map((n, h): [number, number, number] => [h, n, clicked[h]])));
  const bounded = usPerRequest(() => {
    stream.drawn = 0;
    source.generate(requests);
  });
  const drawn = stream.drawn / REQUESTS;
  // The same posteriors drawn whole, then their top 10.
  const a = clicked.map((c) => 1 + c);
  const b = shown.map((n, h) => 1 + n - clicked[h]);
  const whole = usPerRequest(() => {
    for (const request of requests) {
      stream.betaDrawsAt(request.userId, 0, 0, a, b, theta);
      topK(theta, 10);
    }
  });
  const label = `~${trials.toLocaleString('en')} impressions an item`.padEnd(28);
  console.log(`  ${label} drawn until the bound ${bounded.toFixed(1).padStart(5)} µs a request (${drawn.toFixed(0).padStart(3)} of ${HEAD} drawn), the whole head ${whole.toFixed(1).padStart(5)} µs`);
}
