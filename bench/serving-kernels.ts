/**
 * Two small kernels every ranked request runs: exact retrieval's selection of the k best of a
 * row of scores (TopSelect) and an isotonic calibrator's map of a logit. Prints microseconds a
 * query and nanoseconds a call, the best of five rounds.
 *
 *   npx tsx bench/serving-kernels.ts [--items 2500] [--k 120]
 */
import { IsotonicCalibrator } from '../src/recommender/ranking/calibration.js';
import { TopSelect } from '../src/recommender/retrieval/top-select.js';
import { Rng } from '../src/rng/index.js';

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const items = flag('items', 2_500);
const k = flag('k', 120);
const rng = new Rng('serving-kernels');

function best(rounds: number, run: () => number): number {
  let fastest = Infinity;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    const work = run();
    fastest = Math.min(fastest, (performance.now() - started) / work);
  }
  return fastest;
}

// Rows of inner products of unit vectors: scores spread around 0 with a thin top.
const rows = 400;
const scores = Float64Array.from({ length: rows * items }, () => rng.normal(0, 0.2));
const select = new TopSelect();
const perQuery = best(5, () => {
  for (let rep = 0; rep < 10; rep++) for (let r = 0; r < rows; r++) select.select(scores, r * items, items, k);
  return 10 * rows;
});
console.log(`TopSelect, ${items.toLocaleString('en')} scores, k = ${k}: ${(perQuery * 1e3).toFixed(1)} µs a query`);

// A calibrator fitted on 20,000 held-out logits of a click head (base rate ~15%).
const logits = Array.from({ length: 20_000 }, () => rng.normal(-2, 1.5));
const labels = logits.map((z) => (rng.uniform(0, 1) < 1 / (1 + Math.exp(-z)) ? 1 : 0));
const isotonic = IsotonicCalibrator.fit(logits, labels);
const queries = Float32Array.from({ length: 1_000_000 }, () => rng.normal(-2, 1.7));
let sink = 0;
const perCall = best(5, () => {
  for (let i = 0; i < queries.length; i++) sink += isotonic.apply(queries[i]);
  return queries.length;
});
console.log(`isotonic calibrator, ${isotonic.x.length} blocks: ${(perCall * 1e6).toFixed(1)} ns a call${sink === 0 ? ' ' : ''}`);
