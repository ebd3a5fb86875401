/**
 * The user model is the one place user behaviour comes from: the oracle's true utility, OPE's
 * click probabilities and the user's own reaction agree, reading the truth leaves the user as
 * they were, and `world.users.kind` selects a registered model or is reported at its line.
 * The world itself imports no layer above it (no metrics, simulation, recommender or OPE).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedClicks } from '../src/ope/world-truth.js';
import { RandomStreams } from '../src/rng/index.js';
import { parseScenario, ScenarioError } from '../src/scenario/index.js';
import { BlockSlices } from '../src/world/block-slices.js';
import { USER_MODELS } from '../src/world/user-models/registry.js';
import { World } from '../src/world/world.js';
import { smallScenario } from './support/scenarios.js';

const SLATE = [3, 17, 42, 8, 99];

function world(overrides: string[] = []): World {
  return new World(smallScenario(overrides).world, new RandomStreams(5).child('world'));
}

describe('the user model', () => {
  it('clicks what the oracle values at the true utility the oracle reports', () => {
    const w = world();
    let clicks = 0;
    for (let userId = 0; userId < 60; userId++) {
      const truths = SLATE.map((item) => w.trueUtility(userId, item, 1));
      const outcome = w.userModel.react(userId, SLATE, 1, 0);
      if (outcome.clicked < 0) continue;
      clicks++;
      expect(outcome.trueUtility).toBe(truths[outcome.clicked]);
      expect(outcome.response?.watchMinutes).toBeGreaterThan(0);
    }
    expect(clicks).toBeGreaterThan(5);
  });

  it('reads click probabilities without changing the user, and a watch changes them', () => {
    const w = world(['world.users.satiation.per_view=2']);
    let userId = 0;
    // The first user who clicks: their satiation and tastes move with the watch.
    for (; userId < 60; userId++) {
      const before = w.userModel.clickProbabilities(userId, SLATE, 2);
      const { clicked } = w.userModel.react(userId, SLATE, 2, 0);
      if (clicked < 0) continue;
      const after = w.userModel.clickProbabilities(userId, SLATE, 2);
      // Tired of what they just watched: the same item is less likely to be clicked again.
      expect(after[clicked]).toBeLessThan(before[clicked]);
      // A day later satiation has partly recovered; reading that does not move the user to that day.
      expect(w.userModel.clickProbabilities(userId, SLATE, 3)[clicked]).toBeGreaterThan(after[clicked]);
      expect(w.userModel.clickProbabilities(userId, SLATE, 2)).toEqual(after);
      expect(expectedClicks(w, userId, SLATE, 2)).toBeCloseTo(after.reduce((a, b) => a + b, 0), 12);
      return;
    }
    throw new Error('no user clicked');
  });

  it('ends a session once patience runs out on slates without a click', () => {
    const w = world(['world.users.patience.bad_slates=1']);
    w.userModel.startSession(0, 1);
    expect(w.userModel.afterSlate(0, 1, { clicked: -1, trueUtility: Number.NaN })).toEqual({ kind: 'end' });
    const { satisfaction, returnAt } = w.userModel.endSession(0, 1, 1);
    expect(satisfaction).toBe(-0.25);
    expect(w.users.stateOf(0).sessions).toBe(1);
    expect(returnAt === undefined ? w.users.stateOf(0).churned : returnAt > 1).toBe(true);
  });
});

describe('user model registry', () => {
  const scenario = (users: string) => `name: t\nhorizon: { days: 1 }\nrecommender: { kind: random }\nworld:\n  users: ${users}\n`;

  it('defaults world.users.kind to the first registered model', () => {
    expect(parseScenario(scenario('{ count: 10 }'), 't.yaml').world.users.kind).toBe(USER_MODELS[0].name);
  });

  it('reports an unknown kind at its line, with the registered names and the plug-in option', () => {
    let error: unknown;
    try {
      parseScenario(scenario('{ kind: rational }'), 't.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems[0]).toMatchObject({
      line: 5,
      path: 'world.users.kind',
      message: `unknown users kind "rational" (expected one of: ${[...USER_MODELS.map((entry) => entry.name), 'module'].join(', ')})`,
    });
  });
});

describe('the world layer', () => {
  it('imports nothing above it: only the seeded streams, the settings fields and zod', () => {
    const root = join(import.meta.dirname, '..', 'src');
    const files = readdirSync(join(root, 'world'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const path = join(root, 'world', file);
      for (const [, target] of readFileSync(path, 'utf8').matchAll(/from '([^']+)'/g)) {
        if (!target.startsWith('.')) {
          expect(target, file).toBe('zod');
          continue;
        }
        const layer = relative(root, resolve(dirname(path), target)).split(sep)[0];
        expect(['world', 'rng', 'settings'], `${file} imports ${target}`).toContain(layer);
      }
    }
  });
});

describe('BlockSlices', () => {
  it('hands out zeroed arrays of its length and type that never overlap, across blocks', () => {
    const slices = new BlockSlices(new Float64Array(0), 3, 4);
    const taken = Array.from({ length: 10 }, () => slices.take());
    for (const [k, array] of taken.entries()) {
      expect(array).toBeInstanceOf(Float64Array);
      expect(Array.from(array)).toEqual([0, 0, 0]);
      array.fill(k + 1);
    }
    for (const [k, array] of taken.entries()) expect(Array.from(array)).toEqual([k + 1, k + 1, k + 1]);
    // Four to a block: the fifth starts a new one.
    expect(taken[3].buffer).toBe(taken[0].buffer);
    expect(taken[4].buffer).not.toBe(taken[0].buffer);
    expect(new BlockSlices(new Float32Array(0), 2).take()).toBeInstanceOf(Float32Array);
  });

  it('hands out shorter arrays back to back, a new block when the next would not fit, and refuses a longer one', () => {
    const slices = new BlockSlices(new Int32Array(0), 3, 2);
    const [a, b, c] = [slices.take(2), slices.take(3), slices.take(2)];
    expect([a.length, b.length, c.length]).toEqual([2, 3, 2]);
    expect([a.byteOffset, b.byteOffset]).toEqual([0, 8]);
    expect(b.buffer).toBe(a.buffer);
    // 2 + 3 of a block of 6 used: 2 more would not fit.
    expect(c.buffer).not.toBe(a.buffer);
    b.fill(7);
    expect(Array.from(a)).toEqual([0, 0]);
    expect(() => slices.take(4)).toThrow('BlockSlices: an array of 4, at most 3');
  });
});
