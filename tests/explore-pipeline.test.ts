/**
 * Exploration inside the population world: every policy runs on the popularity baseline from
 * the scenario's `recommender.exploration`, logs propensities in (0, 1], explored slots below 1;
 * the candidate stage adds `explore` candidates, which the logged source shows.
 */
import { describe, expect, it } from 'vitest';
import { buildExploration, type ExplorationContext } from '../src/recommender/explore/build.js';
import type { ExploreSource } from '../src/recommender/explore/candidate-stage.js';
import { ThompsonExploreSource } from '../src/recommender/explore/thompson-candidates.js';
import type { RecRequest } from '../src/recommender/types.js';
import { KeyedStream, RandomStreams, Rng } from '../src/rng/index.js';
import { ImpressionBuffer, type ImpressionRow } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';
import { buildParts } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';
import { smallScenario } from './support/scenarios.js';

/** Impressions the popularity pipeline served (day 1 on; day 0 is the random start-up). */
async function pipelineRows(exploration: string, days = 2): Promise<ImpressionRow[]> {
  const sim = new Simulation(buildParts(smallScenario([`horizon.days=${days}`, 'logs.impressions=false', `recommender.exploration=${exploration}`])));
  const rows: ImpressionRow[] = [];
  await sim.run(({ bounds, impressions }) => {
    if (bounds.epoch === 0) return;
    for (let i = 0; i < impressions.length; i++) rows.push(impressions.row(i));
  });
  return rows;
}

/** A one-day log in which item i is shown trials[i] times and clicked successes[i] of them. */
function clickLog(perItem: readonly (readonly [number, number])[]): TrainingLog {
  const buffer = new ImpressionBuffer();
  let slateId = 0;
  perItem.forEach(([trials, successes], itemId) => {
    for (let t = 0; t < trials; t++) {
      const clicked = t < successes;
      buffer.append({
        time: 0.5,
        epoch: 0,
        slateId: slateId++,
        userId: 0,
        itemId,
        position: 0,
        arm: 'test',
        source: 'popularity',
        propensity: 1,
        clicked,
        watchMinutes: clicked ? 1 : 0,
        watchFraction: clicked ? 0.5 : 0,
        completed: false,
        liked: false,
        survey: null,
      });
    }
  });
  const log = new TrainingLog(14);
  log.add({ epoch: 0, start: 0, end: 1, impressions: buffer });
  return log;
}

function request(slateId: number): RecRequest {
  return { slateId, userId: slateId, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 };
}

describe('policies on the popularity baseline', () => {
  it('epsilon-greedy over the catalog logs the closed-form marginals: (1 − ε) + ε·E₁ on kept slots, ε·E₁ on explored ones', async () => {
    const rows = await pipelineRows('{policy: epsilon_greedy, epsilon: 0.2, over: catalog}');
    const explored = rows.filter((r) => r.source === 'explore');
    const greedy = rows.filter((r) => r.propensity > 0.5);
    expect(explored.length).toBeGreaterThan(0.1 * rows.length); // ~20% of slots, most of them outside the candidates
    expect(greedy.length).toBeGreaterThan(0.7 * rows.length);
    // The catalog holds 400 to ~480 items over these two days; E₁ = E[1/(N − 4 + B)], B ~ Bin(4, ε), lies in [1/N, 1/(N − 4)].
    for (const r of explored) expect(0.2 / r.propensity).toBeGreaterThanOrEqual(396);
    for (const r of explored) expect(0.2 / r.propensity).toBeLessThan(600);
    for (const r of greedy) expect(0.2 / (r.propensity - 0.8)).toBeGreaterThanOrEqual(396);
    // Within a slate (one catalog size) a kept item's marginal is exactly 1 − ε above an explored catalog item's.
    const exploredOf = new Map(explored.map((r) => [r.slateId, r.propensity]));
    let compared = 0;
    for (const r of greedy) {
      const e = exploredOf.get(r.slateId);
      if (e === undefined) continue;
      expect(r.propensity - 0.8).toBeCloseTo(e, 12);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it.each([
    ['greedy', '{policy: greedy}'],
    ['thompson', '{policy: thompson, reward: click, mc_draws: 50}'],
    ['thompson on survey answers', '{policy: thompson, reward: survey_positive, prior: [1, 20], mc_draws: 50}'],
    ['linear thompson', '{policy: linear_thompson, mc_draws: 50}'],
    ['ucb', '{policy: ucb}'],
    ['boltzmann', '{policy: boltzmann, temperature: 2}'],
    ['epsilon-greedy, candidate stage', '{policy: epsilon_greedy, epsilon: 0.5, stage: candidate, k: 4}'],
    ['thompson, candidate stage', '{policy: thompson, stage: candidate, k: 2, head: 100, mc_draws: 50}'],
  ])('%s runs and logs every propensity in (0, 1]', async (_name, exploration) => {
    const rows = await pipelineRows(exploration);
    expect(rows.length).toBeGreaterThan(1000);
    for (const r of rows) {
      expect(r.propensity).toBeGreaterThan(0);
      expect(r.propensity).toBeLessThanOrEqual(1 + 1e-12);
    }
  });

  it("Thompson sampling's top slot is a draw (propensity below 1 somewhere) where greedy's is fixed", async () => {
    const greedy = await pipelineRows('{policy: greedy}', 3);
    const thompson = await pipelineRows('{policy: thompson, mc_draws: 20}', 3);
    const top = (rows: ImpressionRow[]) => rows.filter((r) => r.position === 0).map((r) => r.propensity);
    expect(top(greedy).every((p) => p === 1)).toBe(true);
    expect(top(thompson).some((p) => p < 0.9)).toBe(true);
  });
});

describe('the candidate stage', () => {
  const streams = new RandomStreams(3);
  const ctx = (size: number): ExplorationContext => ({ catalogSize: () => size, streams });

  it('adds explore candidates: Binomial(k, ε) uniform catalog items per request, each included with probability kε/N', () => {
    const { sources, policy } = buildExploration({ policy: 'epsilon_greedy', epsilon: 0.25, over: 'candidates', stage: 'candidate', k: 8, mc_draws: 100 }, ctx(200));
    expect(sources.map((s) => s.name)).toEqual(['explore']);
    expect(policy.name).toBe('epsilon_greedy@candidate');
    const requests = Array.from({ length: 4000 }, (_, i) => request(i));
    const lists = sources[0].generate(requests);
    const all = lists.flat();
    expect(all.every((c) => c.sources.join('+') === 'explore' && c.sourceScore === Number.MAX_VALUE)).toBe(true);
    expect(all.length / requests.length).toBeCloseTo(8 * 0.25, 1);
    const source = sources[0] as ExploreSource;
    expect(source.inclusion(requests[0], 7)).toBeCloseTo((8 * 0.25) / 200, 12);
    const hits = lists.filter((l) => l.some((c) => c.itemId === 7)).length;
    expect(Math.abs(hits / requests.length - 0.01)).toBeLessThan(4.5 * Math.sqrt(0.01 / requests.length));
  });

  it('the slate logs an explore-only item at its inclusion probability, other items as the slate policy does', () => {
    const { sources, policy } = buildExploration({ policy: 'epsilon_greedy', epsilon: 1, over: 'candidates', stage: 'candidate', k: 2, mc_draws: 100 }, ctx(100));
    const req = request(0);
    const explore = sources[0].generate([req])[0];
    const shared = { itemId: explore[0].itemId, sources: ['popularity', 'explore'], sourceScore: 5, score: 5 };
    const ordered = [{ ...explore[1], score: Number.MAX_VALUE }, shared, { itemId: 99, sources: ['popularity'], sourceScore: 1, score: 1 }];
    const slate = policy.select(req, ordered, 3, new Rng('x'));
    expect(slate.map((e) => [e.source, e.propensity])).toEqual([
      ['explore', 2 / 100],
      ['popularity+explore', 1],
      ['popularity', 1],
    ]);
  });

  it('Thompson sampling over the head, after feedback: inclusion probabilities sum to k and match how often each head item is added', () => {
    // Clicks per item (trials, successes): the posteriors part, so the inclusions are far from a constant k/H.
    const source = new ThompsonExploreSource({ reward: 'click', prior: [1, 1], k: 2, head: 6, mcDraws: 2000 }, () => 6, new KeyedStream('c'), new Rng('mc'));
    source.retrain(clickLog([[30, 24], [30, 15], [30, 3], [10, 1], [5, 3], [2, 0]]));
    expect(Array.from(source.head)).toEqual([0, 1, 2, 3, 4, 5]); // most trials first
    const requests = Array.from({ length: 6000 }, (_, i) => request(i));
    const counts = new Map<number, number>();
    for (const list of source.generate(requests)) for (const c of list) counts.set(c.itemId, (counts.get(c.itemId) ?? 0) + 1);
    const inclusion = Array.from(source.head, (id) => source.inclusion(requests[0], id));
    for (const [h, id] of source.head.entries()) {
      const p = inclusion[h];
      // Two binomial estimates of p (6000 requests, 2000 Monte-Carlo draws): 4 standard errors of their difference.
      const tolerance = 4 * Math.sqrt(p * (1 - p) * (1 / requests.length + 1 / 2001)) + 1e-3;
      expect(Math.abs((counts.get(id) ?? 0) / requests.length - p), `item ${id}`).toBeLessThan(tolerance);
    }
    expect(inclusion.reduce((s, p) => s + p, 0)).toBeCloseTo(2, 12);
    // Beta(25, 7) nearly always draws among the top two; Beta(4, 28) almost never does.
    expect(inclusion[0]).toBeGreaterThan(0.85);
    expect(inclusion[2]).toBeLessThan(0.05);
  });

  it('on the popularity baseline, explore candidates reach the slate and the log shows their source', async () => {
    const rows = await pipelineRows('{policy: thompson, stage: candidate, k: 2, head: 50, mc_draws: 50}');
    const explore = rows.filter((r) => r.source === 'explore');
    expect(explore.length).toBeGreaterThan(0);
    for (const r of explore) expect(r.propensity).toBeLessThan(1);
    expect(rows.filter((r) => r.source === 'popularity').every((r) => r.propensity === 1)).toBe(true);
  });
});
