/**
 * The re-ranker registry: the `rerank` block, the settings that reorder, the checks and the
 * builder come from each re-ranker's declaration; `kind` may be left out for the first; a
 * declaration missing a field does not compile.
 */
import { describe, expect, it } from 'vitest';
import { reRanker } from '../src/recommender/rerank/component.js';
import { DiversityReRanker } from '../src/recommender/rerank/diversity.js';
import { buildReRanker, checkReRanker, RERANKER_KINDS, reorderingSettings, rerankSection, type ReRankConfig } from '../src/recommender/rerank/registry.js';
import { count } from '../src/settings/fields.js';
import { candidates, catalogOf, REQUEST } from './support/rerank-fixtures.js';

// Items 0 and 1 share a creator; item 2 is fresh at the request's time (day 10).
const catalog = catalogOf([
  { creatorId: 0, topics: [0] },
  { creatorId: 0, topics: [0] },
  { creatorId: 1, topics: [1], uploadTime: 9.5 },
]);

describe('re-ranker registry', () => {
  it('lists every declared re-ranker; a block without kind is the first, with its defaults', () => {
    expect(RERANKER_KINDS).toEqual(['diversity']);
    expect(rerankSection.parse(undefined)).toEqual({ kind: 'diversity', mmr_lambda: 0, creator_cap: 0, fresh_boost: 0, fresh_age: 2 });
    expect(rerankSection.parse({ mmr_lambda: 0.3 }).kind).toBe('diversity');
  });

  it('builds the re-ranker the block names, from its settings', () => {
    const plain = buildReRanker(rerankSection.parse({}), { catalog });
    expect(plain).toBeInstanceOf(DiversityReRanker);
    expect(plain.cap).toBeUndefined();
    expect(plain.rerank(REQUEST, candidates([3, 2, 1]), 3).map((c) => c.itemId)).toEqual([0, 1, 2]);
    // A cap of one per creator moves the fresh item of the other creator up; the boost alone would too.
    const capped = buildReRanker(rerankSection.parse({ creator_cap: 1 }), { catalog });
    expect(capped.cap).toBeDefined();
    expect(capped.rerank(REQUEST, candidates([3, 2, 1]), 2).map((c) => c.itemId)).toEqual([0, 2]);
    const boosted = buildReRanker(rerankSection.parse({ fresh_boost: 2 }), { catalog });
    expect(boosted.rerank(REQUEST, candidates([3, 2, 1]), 3).map((c) => c.itemId)).toEqual([2, 0, 1]);
  });

  it('names the settings that reorder beyond the scores, not the cap', () => {
    expect(reorderingSettings(rerankSection.parse({ creator_cap: 2 }))).toEqual([]);
    expect(reorderingSettings(rerankSection.parse({ mmr_lambda: 0.2, fresh_boost: 0.5, creator_cap: 2 }))).toEqual([
      { key: 'mmr_lambda', value: 0.2, what: 'MMR order' },
      { key: 'fresh_boost', value: 0.5, what: 'fresh boost' },
    ]);
    expect(checkReRanker(rerankSection.parse({ mmr_lambda: 0.2 }))).toEqual([]);
  });

  it('an unknown kind is refused by the derived union, naming every declared one', () => {
    expect(rerankSection.safeParse({ kind: 'mmr' }).error?.issues[0]?.message).toBe('expected kind: diversity');
  });

  it('refuses a kind nothing declares when building, naming it', () => {
    // The parsed block always names a declared kind; this is the guard behind it.
    const unknown = { ...rerankSection.parse({}), kind: 'nope' } as unknown as ReRankConfig;
    expect(() => reorderingSettings(unknown)).toThrow('no re-ranker is named nope');
  });

  it('runs a declaration\'s own checks on its parsed settings', () => {
    const checked = reRanker({
      name: 'checked',
      settings: { depth: count.default(3) },
      reorders: () => [],
      check: (config) => [{ paths: [['rerank', 'depth']], message: `depth ${config.depth}` }],
      build: () => new DiversityReRanker(catalog, { mmrLambda: 0, creatorCap: 0, freshBoost: 0, freshAge: 1 }),
    });
    expect(checked.check({ kind: 'checked' })).toEqual([{ paths: [['rerank', 'depth']], message: 'depth 3' }]);
  });

  it('a declaration missing a field does not compile', () => {
    // @ts-expect-error `reorders` is required
    const incomplete = reRanker({ name: 'x', settings: {}, check: null, build: () => new DiversityReRanker(catalog, { mmrLambda: 0, creatorCap: 0, freshBoost: 0, freshAge: 1 }) });
    expect(incomplete.name).toBe('x');
  });
});
