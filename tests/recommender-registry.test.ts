/**
 * The recommender registry: the scenario's `recommender` union, the list of kinds, the checks and
 * the builder come from each kind's own declaration, so every declared kind parses from its
 * defaults and builds a recommender of its name; a declaration missing a field does not compile.
 */
import { describe, expect, it } from 'vitest';
import { recommenderKind } from '../src/recommender/component.js';
import { RandomRecommender } from '../src/recommender/random-recommender.js';
import { buildRecommender, checkRecommender, hasRanker, recommender, RECOMMENDER_KINDS } from '../src/recommender/registry.js';
import { RandomStreams } from '../src/rng/index.js';
import { RandomStartup } from '../src/recommender/startup.js';
import { World } from '../src/world/world.js';
import { smallScenario } from './support/scenarios.js';

describe('recommender registry', () => {
  it('lists every declared kind, in order', () => {
    expect(RECOMMENDER_KINDS).toEqual(['random', 'popularity', 'oracle', 'bandit', 'two_stage']);
    expect(RECOMMENDER_KINDS.filter(hasRanker)).toEqual(['two_stage']);
  });

  it('every kind parses from its defaults with the shared fields, and builds a recommender of its name', () => {
    const scenario = smallScenario();
    const world = new World(scenario.world, new RandomStreams(5).child('world'));
    const ctx = { catalog: world.items.public, users: world.users.public, slateSize: 5, streams: new RandomStreams(1) };
    for (const kind of RECOMMENDER_KINDS) {
      const config = recommender.parse({ kind });
      expect(config.slate_size).toBe(kind === 'bandit' ? 1 : 10);
      expect(config.exploration.policy).toBe('greedy');
      let truthAsked = 0;
      const truth = () => {
        truthAsked++;
        return world;
      };
      if (kind === 'bandit') {
        expect(() => buildRecommender(config, ctx, truth)).toThrow('runs only in a bandit world');
        continue;
      }
      expect(buildRecommender(config, ctx, truth).name).toBe(kind);
      // Only the oracle is given the world's truth.
      expect(truthAsked).toBe(kind === 'oracle' ? 1 : 0);
    }
  });

  it('puts random slates in front for random_startup days', () => {
    const scenario = smallScenario();
    const world = new World(scenario.world, new RandomStreams(5).child('world'));
    const ctx = { catalog: world.items.public, users: world.users.public, slateSize: 5, streams: new RandomStreams(1) };
    const built = buildRecommender(recommender.parse({ kind: 'popularity', random_startup: '2d' }), ctx, () => world);
    expect(built).toBeInstanceOf(RandomStartup);
    expect(built.name).toBe('popularity');
    expect(buildRecommender(recommender.parse({ kind: 'popularity' }), ctx, () => world)).not.toBeInstanceOf(RandomStartup);
  });

  it('an unknown kind is refused by the derived union, naming every declared one', () => {
    const result = recommender.safeParse({ kind: 'matrix_factorization' });
    expect(result.error?.issues[0]?.message).toBe('expected kind: random, popularity, oracle, bandit, two_stage or module (with path: a file of your own)');
  });

  it("runs a kind's own checks: a score formula over an untrained head, a bandit outside a bandit world", () => {
    const twoStage = recommender.parse({ kind: 'two_stage', ranker: { heads: ['click'] }, score: 'click + watch' });
    expect(checkRecommender(twoStage).map((p) => p.paths[0])).toEqual([['recommender', 'score']]);
    expect(checkRecommender(recommender.parse({ kind: 'two_stage' }))).toEqual([]);
    expect(checkRecommender(recommender.parse({ kind: 'bandit' }))[0]?.message).toContain('runs only in a bandit world');
    expect(checkRecommender(recommender.parse({ kind: 'popularity' }))).toEqual([]);
  });

  it('a declaration missing a field does not compile', () => {
    // @ts-expect-error `check` (and `ranker`) are required
    const incomplete = recommenderKind({ name: 'x', settings: {}, build: () => new RandomRecommender({ size: 0, get: () => undefined } as never, 1, new RandomStreams(1).stream('x')) });
    expect(incomplete.name).toBe('x');
  });
});
