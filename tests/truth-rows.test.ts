/**
 * The item truth packed for scoring slates (src/world/truth-rows.ts) holds every item's own
 * values: a user's utilities read from it are, to the bit, the formulas applied to the item's
 * ItemTruth object, for starting items and for uploads past the table's first growth; and the
 * metrics read the same topics from it as from the world view's itemTopics.
 */
import { describe, expect, it } from 'vitest';
import { ItemTopics } from '../src/metrics/item-topics.js';
import { RandomStreams } from '../src/rng/index.js';
import type { ItemTruth } from '../src/world/items.js';
import type { WorldConfig } from '../src/world/schema.js';
import type { Tastes } from '../src/world/tastes.js';
import type { WorldWithUsers } from '../src/world/user-models/user-model-entry.js';
import { UtilityModel } from '../src/world/utility.js';
import { World } from '../src/world/world.js';
import { smallScenario } from './support/scenarios.js';

/** The utility formulas of src/world/utility.ts, written over an ItemTruth object. */
type SatisfactionWorld = WorldWithUsers<'satisfaction'>;

function satisfactionWorld(config: WorldConfig): config is SatisfactionWorld {
  return config.users.kind === 'satisfaction';
}

function reference(config: SatisfactionWorld, user: Tastes, item: ItemTruth): { click: number; truth: number } {
  let topicDot = 0;
  let satiation = 0;
  for (let j = 0; j < item.topicIds.length; j++) {
    topicDot += user.topicPrefs[item.topicIds[j]] * item.topicWeights[j];
    satiation += user.satiation[item.topicIds[j]] * item.topicWeights[j];
  }
  const cosine = user.topicNorm > 0 ? topicDot / (user.topicNorm * item.topicNorm) : 0;
  let latentDot = 0;
  for (let d = 0; d < item.latent.length; d++) latentDot += user.latent[d] * item.latent[d];
  const affinity = config.affinity.topic_weight * cosine + config.affinity.latent_weight * latentDot * (1 / Math.sqrt(config.latent_dim));
  const penalty = config.users.satiation.weight * satiation;
  return { click: affinity + item.appeal - penalty, truth: affinity + config.affinity.quality_weight * (2 * item.quality - 1) - penalty };
}

describe('TruthRows', () => {
  it("gives the utilities of the items' own truth, for starting items and uploads", () => {
    const world = new World(smallScenario(['world.items.count=1500', 'world.items.topics_per_item=3']).world, new RandomStreams(9).child('world'));
    for (let k = 0; k < 700; k++) world.items.create(1 + k / 700); // past the first 1,024 records
    const config = world.config;
    if (!satisfactionWorld(config)) throw new Error('expected the satisfaction user model');
    const utility = new UtilityModel(config);
    const topicPrefs = Float64Array.from({ length: config.topics }, (_, t) => (1 + (t % 5)) / (3 * config.topics));
    const user: Tastes = {
      topicPrefs,
      topicNorm: Math.hypot(...topicPrefs),
      latent: Float32Array.from({ length: config.latent_dim }, (_, d) => Math.sin(d + 1)),
      satiation: Float32Array.from({ length: config.topics }, (_, t) => (t % 4) / 3), // a penalty to weigh
      satiationTime: 0,
    };
    let multiTopic = 0;
    for (let id = 0; id < world.items.size; id++) {
      const item = world.items.truthOf(id);
      if (item.topicIds.length > 1) multiTopic++;
      const expected = reference(config, user, item);
      expect(utility.clickUtility(user, world.items.rows, id)).toBe(expected.click);
      expect(utility.trueUtility(user, world.items.rows, id)).toBe(expected.truth);
      const record = world.items.public.get(id);
      const { rows } = world.items;
      expect([rows.creator(id), rows.uploadTime(id), rows.lengthMinutes(id)]).toEqual([record.creatorId, record.uploadTime, record.lengthMinutes]);
    }
    expect(multiTopic).toBeGreaterThan(100);
  });
});

describe('ItemTopics (metrics)', () => {
  it("reads an item's topics from the packed records as itemTopics gives them, and from itemTopics where a view has no records", () => {
    const world = new World(smallScenario(['world.items.count=300', 'world.items.topics_per_item=3']).world, new RandomStreams(4).child('world'));
    const view = world.view();
    const packed = new ItemTopics(view);
    const plain = new ItemTopics({ ...view, topicRows: undefined });
    for (let id = 0; id < world.items.size; id++) {
      const { ids, weights } = view.itemTopics(id);
      for (const topics of [packed, plain]) {
        expect(topics.read(id)).toBe(ids.length);
        expect(Array.from(topics.ids.subarray(0, topics.count))).toEqual(Array.from(ids));
        expect(Array.from(topics.weights.subarray(0, topics.count))).toEqual(Array.from(weights));
      }
    }
    expect(() => packed.read(world.items.size)).toThrow(RangeError);
  });
});
