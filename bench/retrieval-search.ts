/**
 * Retrieval's search at the sizes the bench's worlds serve: exact search over a two-stage-sized
 * catalog and the inverted file over a large world's, queries in batch windows, k as the
 * two-tower source asks (k + history). Prints µs a query, best and median of the rounds.
 *
 *   npx tsx bench/retrieval-search.ts
 *   npx tsx bench/retrieval-search.ts --exact-items 2400 --ivf-items 200000 --batch 124 --k 120
 */
import { parseArgs } from 'node:util';
import { ExactRetriever } from '../src/recommender/retrieval/exact.js';
import { defaultLists, IvfRetriever } from '../src/recommender/retrieval/ivf.js';
import type { Retriever } from '../src/recommender/types.js';
import { Rng } from '../src/rng/index.js';

const { values } = parseArgs({
  options: {
    'exact-items': { type: 'string', default: '2400' },
    'ivf-items': { type: 'string', default: '200000' },
    probes: { type: 'string', default: '32' },
    batch: { type: 'string', default: '124' },
    batches: { type: 'string', default: '20' },
    k: { type: 'string', default: '120' },
    rounds: { type: 'string', default: '5' },
  },
});
const DIM = 32;
const K = Number(values.k);
const BATCH = Number(values.batch);
const BATCHES = Number(values.batches);
const ROUNDS = Number(values.rounds);

const rng = new Rng('retrieval-search');
const centres = Array.from({ length: 256 }, () => Float32Array.from({ length: DIM }, () => rng.normal()));

/** `count` unit vectors around the centres; queries lie further from them than items, as a user tower's do. */
function vectors(count: number, spread: number): Float32Array {
  const out = new Float32Array(count * DIM);
  for (let i = 0; i < count; i++) {
    const centre = centres[rng.int(centres.length)];
    let norm = 0;
    for (let d = 0; d < DIM; d++) {
      const v = centre[d] + spread * rng.normal();
      out[i * DIM + d] = v;
      norm += v * v;
    }
    for (let d = 0; d < DIM; d++) out[i * DIM + d] /= Math.sqrt(norm);
  }
  return out;
}

function measure(name: string, retriever: Retriever): void {
  const flat = vectors(BATCH * BATCHES, 1);
  const batches = Array.from({ length: BATCHES }, (_, b) => Array.from({ length: BATCH }, (_, q) => flat.subarray((b * BATCH + q) * DIM, (b * BATCH + q + 1) * DIM)));
  const perQuery: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (const batch of batches) retriever.search(batch, K);
    perQuery.push(((performance.now() - start) * 1000) / (BATCH * BATCHES));
  }
  const sorted = [...perQuery].sort((a, b) => a - b);
  console.log(`${name}: ${sorted[0].toFixed(1)} µs a query (best of ${ROUNDS}), median ${sorted[ROUNDS >> 1].toFixed(1)}`);
}

const exactItems = Number(values['exact-items']);
measure(`exact, ${exactItems} items, k ${K}, batches of ${BATCH}`, new ExactRetriever(Int32Array.from({ length: exactItems }, (_, i) => i), vectors(exactItems, 0.5), DIM));
const ivfItems = Number(values['ivf-items']);
const probes = Number(values.probes);
const ivf = new IvfRetriever(Int32Array.from({ length: ivfItems }, (_, i) => i), vectors(ivfItems, 0.5), DIM, { lists: defaultLists(ivfItems), probes, seed: 1 });
measure(`inverted file, ${ivfItems} items, ${ivf.lists} lists, ${probes} probes, k ${K}, batches of ${BATCH}`, ivf);
