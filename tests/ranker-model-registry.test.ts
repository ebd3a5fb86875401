/**
 * The ranker model registry: `ranker.model`, the block's fields and the network builder come
 * from each model's declaration, so every declared model parses from the block's defaults and
 * builds its own network; a declaration missing a field does not compile.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { DcnV2Network } from '../src/recommender/ranking/dcn.js';
import { MmoeNetwork } from '../src/recommender/ranking/mmoe.js';
import { rankerModel } from '../src/recommender/ranking/model-component.js';
import { buildRankerNetwork, checkRankerModel, RANKER_MODELS } from '../src/recommender/ranking/models.js';
import { rankerSection } from '../src/recommender/ranking/settings.js';
import { Rng } from '../src/rng/index.js';

beforeAll(async () => {
  await initBackend();
});

const shape = (seed: string) => ({ dim: 3, heads: 2, positions: 4, rng: new Rng(seed) });

describe('ranker model registry', () => {
  it('lists every declared model; the block defaults to the first', () => {
    expect(RANKER_MODELS).toEqual(['dcn_v2', 'mmoe']);
    expect(rankerSection.parse(undefined).model).toBe('dcn_v2');
  });

  it('builds the network of the model the block names, from its fields', () => {
    const dcn = buildRankerNetwork(rankerSection.parse({ hidden: [4] }), shape('d'));
    expect(dcn).toBeInstanceOf(DcnV2Network);
    const mmoe = buildRankerNetwork(rankerSection.parse({ model: 'mmoe', hidden: [4], experts: 3 }), shape('m'));
    expect(mmoe).toBeInstanceOf(MmoeNetwork);
    // `experts` is the model's own field: each expert of [3 → 4] adds its layer, a gate input per
    // head, a pass through each head's tower and a term of each head's mixture.
    const one = buildRankerNetwork(rankerSection.parse({ model: 'mmoe', hidden: [4], experts: 1 }), shape('m'));
    expect(mmoe.multiplyAdds - one.multiplyAdds).toBe(2 * (3 * 4 + 3 * 2 + 4 * 2 + 2));
  });

  it('an unknown model is refused by the derived field, naming every declared one', () => {
    const result = rankerSection.safeParse({ model: 'wide_and_deep' });
    expect(result.error?.issues[0]?.message).toBe('expected dcn_v2 or mmoe');
  });

  it("runs the named model's own checks", () => {
    expect(checkRankerModel(rankerSection.parse({ model: 'mmoe', hidden: [] }))[0]?.paths).toEqual([['recommender', 'ranker', 'hidden']]);
    expect(checkRankerModel(rankerSection.parse({ model: 'mmoe' }))).toEqual([]);
    expect(checkRankerModel(rankerSection.parse({ model: 'dcn_v2', hidden: [] }))).toEqual([]);
    expect(checkRankerModel(rankerSection.parse({ model: 'mmoe', cross_rank: 16 }))).toEqual([]);
  });

  it('a declaration missing a field does not compile', () => {
    // @ts-expect-error `check` is required
    const incomplete = rankerModel({ name: 'x', settings: {}, build: (settings, s) => new DcnV2Network(s.dim, settings.cross_layers, settings.hidden, s.heads, s.positions, s.rng) });
    expect(incomplete.name).toBe('x');
  });
});
