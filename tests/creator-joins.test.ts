/**
 * Creators who join during the run (`world.items.new_creators_per_day`): they join at the
 * configured rate, upload only from their join on, under their own ids, and a world where they
 * join draws everything before the first join exactly as a world without them.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../src/scenario/index.js';
import { buildParts } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';
import type { World } from '../src/world/world.js';
import { SMALL_SCENARIO, smallScenario } from './support/scenarios.js';

/** The small scenario's world after its four days (40 starting creators, 40 uploads a day). */
async function worldAfterRun(overrides: readonly string[]): Promise<World> {
  const simulation = new Simulation(buildParts(smallScenario(overrides)));
  await simulation.run();
  return simulation.world;
}

function joinTimes(world: World): number[] {
  const view = world.view();
  return Array.from({ length: view.creatorCount }, (_, c) => view.creatorJoinTime(c));
}

describe('creators who join during the run', () => {
  it('join at the configured rate, after day 0, in order; the starting ones were there before', async () => {
    const world = await worldAfterRun(['world.items.new_creators_per_day=10']);
    const times = joinTimes(world);
    expect(times.slice(0, 40).every((t) => t === Number.NEGATIVE_INFINITY)).toBe(true);
    const joined = times.slice(40);
    // Poisson with mean 10 a day over 4 days: 40 ± 19 at three standard deviations (the upload rate, 40 a day, would give 160).
    expect(joined.length).toBeGreaterThan(21);
    expect(joined.length).toBeLessThan(59);
    expect(joined[0]).toBeGreaterThan(0);
    expect(joined.at(-1)).toBeLessThan(4);
    for (let k = 1; k < joined.length; k++) expect(joined[k]).toBeGreaterThan(joined[k - 1]);
    expect(() => world.view().creatorJoinTime(times.length)).toThrow(RangeError);
  });

  it('upload under their own ids from their join on, a share of the uploads like any creator', async () => {
    const world = await worldAfterRun(['world.items.new_creators_per_day=10']);
    const view = world.view();
    let byNew = 0;
    for (let item = 0; item < view.itemCount(); item++) {
      const creator = view.itemCreator(item);
      expect(world.items.public.get(item).creatorId).toBe(creator);
      expect(view.itemUploadTime(item)).toBeGreaterThanOrEqual(view.creatorJoinTime(creator));
      if (creator >= 40) byNew++;
    }
    // About 160 uploads, most of them while a few dozen new creators stand beside the 40 starting ones.
    expect(byNew).toBeGreaterThan(10);
    expect(byNew).toBeLessThan(view.itemCount() - 400);
  });

  it('leave every draw before the first join as a world without them makes it, and none happen at rate 0', async () => {
    const without = await worldAfterRun([]);
    // A slow rate, so that the first join (0.24 days in at this seed) comes after a few uploads.
    const withJoins = await worldAfterRun(['world.items.new_creators_per_day=0.25']);
    expect(without.view().creatorCount).toBe(40);
    expect(joinTimes(without).every((t) => t === Number.NEGATIVE_INFINITY)).toBe(true);
    const firstJoin = joinTimes(withJoins)[40];
    let compared = 0;
    for (let item = 0; item < without.items.size && withJoins.items.public.get(item).uploadTime < firstJoin; item++) {
      expect(withJoins.items.truthOf(item)).toEqual(without.items.truthOf(item));
      expect(withJoins.items.public.get(item)).toEqual(without.items.public.get(item));
      compared++;
    }
    expect(compared).toBeGreaterThan(400); // the starting catalog and the uploads before the first join
    // After it, the creator picked for an upload is drawn from a larger table: the catalogs part.
    const after = Array.from({ length: 20 }, (_, k) => compared + k);
    expect(after.some((item) => withJoins.items.public.get(item).creatorId !== without.items.public.get(item).creatorId)).toBe(true);
  });

  it('are refused without uploads: they would never have anything to show', () => {
    const parse = () => parseScenario(SMALL_SCENARIO, 'small.yaml', ['world.items.uploads_per_day=0', 'world.items.new_creators_per_day=2']);
    expect(parse).toThrow(ScenarioError);
    expect(parse).toThrow(/new_creators_per_day is 2 but world.items.uploads_per_day is 0/);
    expect(() => parseScenario(SMALL_SCENARIO, 'small.yaml', ['world.items.new_creators_per_day=-1'])).toThrow(/new_creators_per_day/);
  });
});
