/**
 * The exploration policy registry: the scenario's union and the builder come from the policies'
 * own declarations, so every declared policy parses from its defaults and builds; a declaration
 * missing a field does not compile.
 */
import { describe, expect, it } from 'vitest';
import { explorationPolicy, slateStage } from '../src/recommender/explore/component.js';
import { TopicFeatures } from '../src/recommender/explore/features.js';
import { GreedyPolicy } from '../src/recommender/explore/greedy.js';
import { buildExploration, exploration, EXPLORATION_POLICIES, POLICY_PLUGINS, reorderedBy, type ExplorationConfig } from '../src/recommender/explore/registry.js';
import type { PublicCatalog } from '../src/world/public.js';
import { RandomStreams } from '../src/rng/index.js';

const catalog = { size: 0, get: () => ({ topics: [], creatorId: 0, uploadTime: 0 }) } as unknown as PublicCatalog; // features are never read: nothing is served
const ctx = { catalogSize: () => 20, streams: new RandomStreams(1), features: (dim: number) => new TopicFeatures(catalog, dim) };

describe('exploration policy registry', () => {
  it('every declared policy parses from its defaults and builds a policy of its name', () => {
    expect(EXPLORATION_POLICIES).toEqual(['greedy', 'epsilon_greedy', 'thompson', 'linear_thompson', 'ucb', 'boltzmann']);
    for (const name of EXPLORATION_POLICIES) {
      const built = buildExploration(exploration.parse({ policy: name }), ctx);
      expect(built.policy.name).toBe(name);
      expect(built.sources).toEqual([]);
    }
    // The candidate stage: greedy slates behind an explorer that adds candidates.
    const candidate = buildExploration(exploration.parse({ policy: 'thompson', stage: 'candidate' }), ctx);
    expect(candidate.policy.name).toBe('thompson@candidate');
    expect(candidate.sources.map((s) => s.name)).toEqual(['explore']);
  });

  it('an unknown policy is refused by the derived union, naming every declared one and the plug-in option', () => {
    const result = exploration.safeParse({ policy: 'softmax' });
    expect(result.error?.issues[0]?.message).toBe(`expected policy: ${EXPLORATION_POLICIES.join(', ')} or module (with path: a file of your own)`);
  });

  it('says which policies reorder the slate by their own scores, and by what', () => {
    expect(Object.fromEntries(EXPLORATION_POLICIES.map((p) => [p, reorderedBy(exploration.parse({ policy: p }))?.by ?? null]))).toEqual({
      greedy: null,
      epsilon_greedy: null,
      thompson: 'its own posterior draws',
      linear_thompson: 'its own posterior draws',
      ucb: 'its own confidence bounds',
      boltzmann: "draws weighted by the ranker's scores",
    });
    expect(reorderedBy(exploration.parse({ policy: 'ucb' }))).toEqual({ policy: 'ucb', by: 'its own confidence bounds' });
    expect(reorderedBy(exploration.parse({ policy: 'greedy' }))).toBeNull();
    expect(reorderedBy({ policy: 'softmax' } as unknown as ExplorationConfig)).toBeNull();
    // A policy from a file says so once loaded; before, nothing is known of it.
    const path = '/nowhere/reordering-policy.ts';
    expect(reorderedBy(exploration.parse({ policy: 'module', path }))).toBeNull();
    POLICY_PLUGINS.remember(path, explorationPolicy({ name: 'mine', settings: {}, reorders: 'its own coin', build: () => slateStage(new GreedyPolicy()) }));
    expect(reorderedBy(exploration.parse({ policy: 'module', path }))).toEqual({ policy: `mine (${path})`, by: 'its own coin' });
  });

  it('builds a policy from a file, handing it its declared name in place of the path', () => {
    const path = '/nowhere/built-policy.ts';
    const seen: unknown[] = [];
    POLICY_PLUGINS.remember(
      path,
      explorationPolicy({
        name: 'coin',
        settings: {},
        reorders: null,
        build: (config) => {
          seen.push(config);
          return slateStage(new GreedyPolicy());
        },
      }),
    );
    const built = buildExploration(exploration.parse({ policy: 'module', path }), ctx);
    expect(built.policy.name).toBe('greedy');
    expect(seen).toEqual([{ policy: 'coin' }]);
    // A path the loader never loaded: the error names the kind of plug-in.
    expect(() => buildExploration(exploration.parse({ policy: 'module', path: '/nowhere/unloaded.ts' }), ctx)).toThrow('the exploration policy plug-in /nowhere/unloaded.ts was not loaded');
  });

  it('greedy when the scenario names no policy; a name the union never parsed is refused by the builder', () => {
    expect(exploration.parse(undefined)).toEqual({ policy: 'greedy' });
    expect(() => buildExploration({ policy: 'softmax' } as unknown as ExplorationConfig, ctx)).toThrow('no exploration policy is named softmax');
  });

  it('shared and per-policy settings refuse bad values with messages naming the choices', () => {
    const message = (entry: unknown) => exploration.safeParse(entry).error?.issues[0]?.message;
    expect(message({ policy: 'thompson', reward: 'purchase' })).toBe('expected one of click, complete, like, survey_positive');
    expect(message({ policy: 'thompson', stage: 'ranking' })).toBe('expected slate or candidate');
    expect(message({ policy: 'thompson', prior: [1, 2, 3] })).toBe('expected a pair [alpha, beta]');
    expect(message({ policy: 'epsilon_greedy', over: 'items' })).toBe('expected candidates or catalog');
    expect(message({ policy: 'linear_thompson', features: 'both' })).toBe('expected ranker or topics');
    expect(exploration.parse({ policy: 'epsilon_greedy', over: 'catalog' })).toMatchObject({ over: 'catalog' });
    expect(exploration.parse({ policy: 'ucb' })).toEqual({ policy: 'ucb', reward: 'click', c: Math.SQRT2 });
  });

  it('a declaration missing a field does not compile', () => {
    // @ts-expect-error `reorders` is required
    const incomplete = explorationPolicy({ name: 'x', settings: {}, build: () => slateStage(new GreedyPolicy()) });
    expect(incomplete.name).toBe('x');
  });
});
