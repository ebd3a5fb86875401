/**
 * Cost of the logged propensities of the sampled slate policies: time per request of select()
 * (plus the streamed feedback that moves the posterior, as in the loop) with mc_draws 100 and
 * with mc_draws 1; the difference is what estimating the propensities costs. 200 candidates,
 * slate 10, every request followed by feedback on its slate (one click in three).
 *
 *   npx tsx bench/propensity.ts
 *   npx tsx bench/propensity.ts --requests 4000 --candidates 200 --slate 10
 */
import { buildExploration } from '../src/recommender/explore/build.js';
import type { FeatureMap } from '../src/recommender/explore/features.js';
import type { ExplorationPolicy, RecRequest, ScoredCandidate, SlateFeedback } from '../src/recommender/types.js';
import { RandomStreams, Rng } from '../src/rng/index.js';
import type { ExplorationConfig } from '../src/scenario/exploration-schema.js';

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const requests = argument('requests', 3000);
const candidates = argument('candidates', 200);
const slateSize = argument('slate', 10);
const WARM_UP = 300;

/** A bias plus three hashed tags per item, as TopicFeatures gives (32 hashed slots). */
const FEATURES: FeatureMap = {
  dim: 33,
  write: (_request, itemId, out) => {
    out.fill(0);
    out[0] = 1;
    for (let j = 0; j < 3; j++) out[1 + ((itemId * 7 + j * 13) % 32)] += 1 / (j + 1);
  },
};

const POLICIES: readonly (readonly [string, (mcDraws: number) => ExplorationConfig])[] = [
  ['thompson', (mc) => ({ policy: 'thompson', reward: 'click', prior: [1, 1], mc_draws: mc, stage: 'slate', k: 5, head: 500 })],
  ['linear_thompson', (mc) => ({ policy: 'linear_thompson', reward: 'click', prior_precision: 1, noise: 0.5, dim: 32, mc_draws: mc })],
  ['boltzmann T=0.5', (mc) => ({ policy: 'boltzmann', temperature: 0.5, mc_draws: mc })],
  ['epsilon_greedy 0.1', () => ({ policy: 'epsilon_greedy', epsilon: 0.1, over: 'candidates', stage: 'slate', k: 5, mc_draws: 100 })],
];

function request(slateId: number): RecRequest {
  return { slateId, userId: slateId % 97, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: slateId, pastSessions: 0 };
}

/** Microseconds per request (select + feedback), after a warm-up. */
function timePerRequest(policy: ExplorationPolicy): number {
  const rng = new Rng('bench/choices');
  const world = new Rng('bench/clicks');
  const pool: ScoredCandidate[] = Array.from({ length: candidates }, (_, k) => ({ itemId: k, sources: ['bench'], sourceScore: 0, score: 1 - k / candidates }));
  let started = 0;
  for (let r = 0; r < WARM_UP + requests; r++) {
    if (r === WARM_UP) started = performance.now();
    const req = request(r);
    const entries = policy.select(req, pool, slateSize, rng);
    const clicked = world.bernoulli(1 / 3) ? world.int(entries.length) : -1;
    const feedback: SlateFeedback = { request: req, slate: { slateId: r, entries }, clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null };
    policy.observe?.(feedback);
  }
  return ((performance.now() - started) * 1000) / requests;
}

console.log(`propensity cost: ${candidates} candidates, slate ${slateSize}, ${requests} requests after ${WARM_UP} warm-up; µs per request (select + feedback)`);
console.log(['policy'.padEnd(20), 'mc_draws 1'.padStart(12), 'mc_draws 100'.padStart(14), 'propensities'.padStart(14)].join(' '));
for (const [name, config] of POLICIES) {
  const at = (mc: number) => timePerRequest(buildExploration(config(mc), { catalogSize: () => candidates, streams: new RandomStreams(1), features: () => FEATURES }).policy);
  const one = at(1);
  const hundred = at(100);
  console.log([name.padEnd(20), one.toFixed(1).padStart(12), hundred.toFixed(1).padStart(14), (hundred - one).toFixed(1).padStart(14)].join(' '));
}
