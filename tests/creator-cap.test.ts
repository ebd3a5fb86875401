/**
 * The re-ranker's creator cap is a hard constraint on every slate, whatever the exploration
 * policy: a two-stage-shaped pipeline (a fixed candidate list → diversity re-ranker with
 * creator_cap → policy) serves many requests, learning policies fed random feedback, and no
 * slate may hold more than `cap` items of one creator.
 */
import { describe, expect, it } from 'vitest';
import { buildExploration, type ExplorationContext } from '../src/recommender/explore/build.js';
import { TopicFeatures } from '../src/recommender/explore/features.js';
import { Pipeline } from '../src/recommender/pipeline.js';
import { DiversityReRanker } from '../src/recommender/rerank/diversity.js';
import type { Candidate, CandidateSource, RecRequest, Slate } from '../src/recommender/types.js';
import { RandomStreams, Rng } from '../src/rng/index.js';
import { parse } from 'yaml';
import { exploration as explorationSchema } from '../src/scenario/exploration-schema.js';
import { PublicRegistry, type PublicCatalog, type PublicItem } from '../src/world/public.js';
import { parseScenario } from '../src/scenario/index.js';
import { buildParts } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';

/** 40 items, 8 creators of 5 items each; item i's creator is i % 8, so every creator has items high and low. */
function catalog(): PublicCatalog {
  const registry: PublicCatalog = new PublicRegistry<PublicItem>();
  for (let id = 0; id < 40; id++) registry.add({ id, creatorId: id % 8, topics: [id % 5, 5 + (id % 3)], lengthMinutes: 5, uploadTime: -1 });
  return registry;
}

/** Every catalog item, best first by source score. */
class AllItems implements CandidateSource {
  readonly name = 'all';
  constructor(private readonly size: number) {}
  generate(requests: readonly RecRequest[]): Candidate[][] {
    return requests.map(() => Array.from({ length: this.size }, (_, id) => ({ itemId: id, sources: ['all'], sourceScore: this.size - id })));
  }
}

function request(slateId: number): RecRequest {
  return { slateId, userId: slateId % 7, time: 1, hourOfDay: 0, device: 'mobile', requestInSession: slateId, pastSessions: 3 };
}

/** Slates over `requests` requests, in batches of 10, each followed by feedback with a random click. */
function serve(exploration: string, cap: number, requests = 1_000, slateSize = 5): { slates: Slate[]; items: PublicCatalog } {
  const items = catalog();
  const streams = new RandomStreams('cap-test');
  const ctx: ExplorationContext = { catalogSize: () => items.size, streams, features: (hashed) => new TopicFeatures(items, hashed) };
  const { policy, sources } = buildExploration(explorationSchema.parse(parse(exploration)), ctx);
  const reranker = new DiversityReRanker(items, { mmrLambda: 0, creatorCap: cap, freshBoost: 0, freshAge: 2 });
  const pipeline = new Pipeline('capped', { sources: [new AllItems(items.size), ...sources], reranker, policy }, slateSize, streams.keyed('policy'));
  const clicks = new Rng('clicks');
  const slates: Slate[] = [];
  for (let b = 0; b < requests / 10; b++) {
    const batch = Array.from({ length: 10 }, (_, r) => request(b * 10 + r));
    pipeline.serve(batch).forEach((slate, r) => {
      slates.push(slate);
      const clicked = clicks.bernoulli(0.5) ? clicks.int(slate.entries.length) : -1;
      pipeline.observe?.({ request: batch[r], slate, clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null });
    });
  }
  return { slates, items };
}

/** Slates holding more than `cap` items of one creator. */
function violations(slates: readonly Slate[], items: PublicCatalog, cap: number): number {
  return slates.filter((slate) => {
    const perCreator = new Map<number, number>();
    for (const e of slate.entries) perCreator.set(items.get(e.itemId).creatorId, (perCreator.get(items.get(e.itemId).creatorId) ?? 0) + 1);
    return Math.max(...perCreator.values()) > cap;
  }).length;
}

const POLICIES: readonly [string, string][] = [
  ['greedy', '{policy: greedy}'],
  ['epsilon_greedy over the candidates', '{policy: epsilon_greedy, epsilon: 0.9}'],
  ['epsilon_greedy over the catalog', '{policy: epsilon_greedy, epsilon: 0.9, over: catalog}'],
  ['thompson', '{policy: thompson, mc_draws: 20}'],
  ['linear_thompson', '{policy: linear_thompson, dim: 8, mc_draws: 20}'],
  ['ucb', '{policy: ucb}'],
  ['boltzmann', '{policy: boltzmann, temperature: 5, mc_draws: 20}'],
  ['epsilon_greedy at the candidate stage', '{policy: epsilon_greedy, epsilon: 0.9, stage: candidate, k: 5}'],
  ['thompson at the candidate stage', '{policy: thompson, stage: candidate, k: 5, head: 20, mc_draws: 20}'],
];

describe('creator_cap holds under every exploration policy', () => {
  it.each(POLICIES)('%s: no slate of 1,000 has two items of one creator (cap 1), and every slate is full', (_name, exploration) => {
    const { slates, items } = serve(exploration, 1);
    expect(violations(slates, items, 1)).toBe(0);
    for (const slate of slates) expect(slate.entries).toHaveLength(5);
  });

  it.each(POLICIES)('%s: cap 2 holds too', (_name, exploration) => {
    const { slates, items } = serve(exploration, 2, 300);
    expect(violations(slates, items, 2)).toBe(0);
  });

  it('a slate larger than the cap allows is cut short, not filled past the cap: 8 creators × cap 1 gives 8 items', () => {
    for (const [, exploration] of POLICIES.slice(0, 7)) {
      const { slates, items } = serve(exploration, 1, 50, 12);
      expect(violations(slates, items, 1)).toBe(0);
      for (const slate of slates) expect(slate.entries).toHaveLength(8);
    }
  });
});

describe('creator_cap end to end on two_stage', () => {
  const scenario = (exploration: string): string => `
name: capped
seed: 3
horizon: { days: 3 }
schedule: { kind: continuous, batch_window: 5m }
world:
  topics: 8
  users: { count: 300, signups_per_day: 10 }
  items: { count: 400, uploads_per_day: 20, creators: 40 }
recommender:
  kind: two_stage
  slate_size: 5
  random_startup: 1d
  candidates: [{ source: two_tower, k: 40 }, { source: popularity, k: 20 }, { source: content, k: 20 }]
  two_tower: { dim: 8, epochs: 1 }
  ranker: { hidden: [8], epochs: 1 }
  rerank: { creator_cap: 1 }
  exploration: ${exploration}
logs: { impressions: false }
`;

  it.each(['{policy: epsilon_greedy, epsilon: 0.9}', '{policy: thompson}'])('%s: no slate the pipeline served holds two items of one creator', async (exploration) => {
    const sim = new Simulation(buildParts(parseScenario(scenario(exploration), 'capped.yaml')));
    const creators = new Map<number, number[]>();
    await sim.run(({ bounds, impressions }) => {
      if (bounds.epoch === 0) return; // the random start-up is not re-ranked
      for (let i = 0; i < impressions.length; i++) {
        const row = impressions.row(i);
        creators.set(row.slateId, [...(creators.get(row.slateId) ?? []), sim.world.items.public.get(row.itemId).creatorId]);
      }
    });
    expect(creators.size).toBeGreaterThan(1000);
    const broken = [...creators.values()].filter((list) => new Set(list).size < list.length).length;
    expect(broken).toBe(0);
  }, 120_000);
});
