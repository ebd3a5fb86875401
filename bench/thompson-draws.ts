/**
 * The draws a Thompson policy makes per request: one Beta draw for each of the candidate stage's
 * 500 head items, from a keyed stream positioned per request (as thompson-candidates.ts draws
 * them): by `rng.beta` per item, and in one loop by `KeyedStream.betaDrawsAt` (the same numbers).
 * Prints nanoseconds per draw, the best of five rounds of 20,000 requests.
 *
 *   npx tsx bench/thompson-draws.ts
 */
import { KeyedStream } from '../src/rng/index.js';

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
