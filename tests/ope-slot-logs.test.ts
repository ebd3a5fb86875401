/**
 * Slot-wise OPE on logs the recommender's own stochastic policies write: every logged propensity
 * is the marginal P(item at slot), so the importance weights of any target whose items the policy
 * can show have mean 1 at every slot (the weight check of src/ope/estimators.ts). Checked on logs
 * of the policies alone (a fixed pool of 12 items), and end to end with `recloop ope` and
 * `ope.logging: scenario`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GreedyTargetPolicy,
  SlateLogBuilder,
  SyntheticSlateBandit,
  UniformPolicy,
  weighLog,
  weightDiagnostics,
  type OpeReport,
  type TargetPolicy,
} from '../src/ope/index.js';
import { BoltzmannPolicy } from '../src/recommender/explore/boltzmann.js';
import { EpsilonGreedyPolicy } from '../src/recommender/explore/epsilon-greedy.js';
import type { ExplorationPolicy, RecRequest, ScoredCandidate } from '../src/recommender/types.js';
import { KeyedStream, Rng } from '../src/rng/index.js';
import { cli } from './support/run-cli.js';
import { tempDir } from './support/scenarios.js';

const ITEMS = 12;
const SLOTS = 4;
const SLATES = 20_000;
const bandit = new SyntheticSlateBandit({ items: ITEMS, slots: SLOTS, contexts: 1, positionDecay: 0.7, seed: 'slot-logs' });
/** The policy's candidates: the whole pool, scored so that the ranking disagrees with the target's. */
const POOL: ScoredCandidate[] = Array.from({ length: ITEMS }, (_, i) => ({ itemId: i, sources: ['test'], sourceScore: 0, score: ((i * 5) % ITEMS) / 8 }));
const REQUEST: RecRequest = { slateId: 0, userId: 0, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 };

/** `slates` slates served by `policy` with the propensities it logs, rewarded by the synthetic bandit. */
function logOf(policy: ExplorationPolicy, candidates: ScoredCandidate[], seed: string) {
  const rng = new Rng(`${seed}/choices`);
  const world = new Rng(`${seed}/rewards`);
  const builder = new SlateLogBuilder();
  for (let s = 0; s < SLATES; s++) {
    const entries = policy.select({ ...REQUEST, slateId: s, requestInSession: s }, candidates, SLOTS, rng);
    const items = entries.map((e) => e.itemId);
    builder.add(bandit.context(0, s), items, entries.map((e) => e.propensity), items.map((item, p) => (world.bernoulli(bandit.expectedReward(0, item, p)) ? 1 : 0)));
  }
  return builder.build();
}

const TARGETS: readonly (readonly [string, TargetPolicy])[] = [
  ['uniform', new UniformPolicy()],
  ['greedy on the true rates', new GreedyTargetPolicy(bandit.ranking('true', 0, 'target'))],
];

const POLICIES: readonly (readonly [string, () => ExplorationPolicy, ScoredCandidate[]])[] = [
  ['epsilon-greedy 0.3 over the candidates', () => new EpsilonGreedyPolicy({ epsilon: 0.3, over: 'candidates', mcDraws: 100 }, () => ITEMS, new KeyedStream('mc')), POOL],
  ['epsilon-greedy 0.3 over the catalog, 3 candidates', () => new EpsilonGreedyPolicy({ epsilon: 0.3, over: 'catalog', mcDraws: 100 }, () => ITEMS, new KeyedStream('mc')), POOL.slice(0, 3)],
  ['boltzmann T = 1 (Monte-Carlo past slot 0)', () => new BoltzmannPolicy(1, 100, new KeyedStream('slot-logs/mc')), POOL],
];

describe('slot-wise importance weights on logs of the stochastic slate policies', () => {
  for (const [policyName, make, candidates] of POLICIES) {
    const log = logOf(make(), candidates, policyName);
    it.each(TARGETS)(`${policyName}, target %s: mean weight 1 at every slot (within 4 SE), no suspect slot`, (_target, target) => {
      const d = weightDiagnostics(weighLog(log, target));
      expect(d.matchedShare).toBeGreaterThan(0);
      d.meanWeightBySlot.forEach((m, p) => {
        const se = d.meanWeightSeBySlot[p];
        expect(se).toBeLessThan(0.05);
        expect(Math.abs(m - 1), `slot ${p}: mean weight ${m} ± ${se}`).toBeLessThan(4 * se);
      });
      expect(d.suspectSlots).toEqual([]);
    });
  }

  it('the check can fail: the same Boltzmann log with every slot logged at its slot-0 (softmax) probability is flagged', () => {
    const log = logOf(new BoltzmannPolicy(1, 100, new KeyedStream('slot-logs/mc')), POOL, 'flagged');
    const z = POOL.reduce((s, c) => s + Math.exp(c.score), 0);
    const softmax = Float64Array.from(log.itemId, (i) => Math.exp(POOL[i].score) / z);
    const d = weightDiagnostics(weighLog({ ...log, propensity: softmax }, new UniformPolicy()));
    expect(d.suspectSlots).toEqual([1, 2, 3]);
  });
});

const SCENARIO = `
name: ope-slot-logs
seed: 5
horizon: { days: 4 }
schedule: { kind: continuous, batch_window: 1m }
world:
  topics: 8
  users: { count: 600, signups_per_day: 20 }
  items: { count: 150, uploads_per_day: 10, creators: 30 }
recommender:
  kind: popularity
  slate_size: 4
  exploration: { policy: epsilon_greedy, epsilon: 0.3, over: catalog }
logs: { impressions: false }
ope:
  logging: scenario
  target: { policy: uniform }
  eval_days: 1
  popularity_window: 2d
  bootstrap: 10
`;

describe('recloop ope with ope.logging: scenario', () => {
  it('epsilon-greedy over the catalog on the popularity baseline, uniform target: mean weight 1 at every slot, none flagged', async () => {
    const dir = tempDir('recloop-ope-slots-');
    const file = join(dir, 'ope.yaml');
    writeFileSync(file, SCENARIO);
    const { code, err } = await cli(['ope', file, '--out', join(dir, 'result')]);
    expect(err).not.toMatch(/recloop:/);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'result', 'ope.json'), 'utf8')) as OpeReport;
    const d = report.diagnostics;
    expect(d.meanWeightBySlot).toHaveLength(4);
    expect(d.matchedShare).toBe(1); // every catalog item is possible at every slot
    d.meanWeightBySlot.forEach((m, p) => expect(Math.abs(m - 1), `slot ${p}: ${m} ± ${d.meanWeightSeBySlot[p]}`).toBeLessThan(4 * d.meanWeightSeBySlot[p]));
    expect(d.suspectSlots).toEqual([]);
  });
});
