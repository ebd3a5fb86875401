/**
 * The Chaney, Stewart and Engelhardt (2018) world reproduced in src/classic/chaney2018: its draws,
 * the user's choice, the recommenders against the ideal oracle, determinism, the study file's
 * errors and the command's result folder. Statistical checks run several seeds of a small world
 * and take their margins from the spread they measure.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/cli.js';
import { pairedDifference } from '../src/experiment/stats.js';
import { chaneySchema, parseChaneyStudy, runStudy, simulateRun, drawWorld, RECOMMENDER_NAMES, TRAINING_MODES, type ChaneyConfig } from '../src/classic/chaney2018/index.js';
import { betaParameters } from '../src/classic/chaney2018/beta-by-moments.js';
import { Chooser, rankDiscounts } from '../src/classic/chaney2018/choose.js';
import { Interactions } from '../src/classic/chaney2018/interactions.js';
import { jaccard, pairedJaccard } from '../src/classic/chaney2018/homogenization.js';
import { buildRecommender } from '../src/classic/chaney2018/recommenders/build.js';
import { mostSimilarPartners, socialNetwork } from '../src/classic/chaney2018/similar-users.js';
import { utilityMean } from '../src/classic/chaney2018/world.js';
import { Rng } from '../src/rng/index.js';
import { ScenarioError } from '../src/scenario/index.js';
import { Capture } from './support/run-cli.js';
import { tempDir } from './support/scenarios.js';

/** A small world: 30 users, 5 new items a step, 5 start-up steps and 25 after them. */
function smallConfig(overrides: { seeds?: { first: number; count: number }; world?: Record<string, unknown> } = {}): ChaneyConfig {
  return chaneySchema.parse({
    name: 'small',
    study: 'chaney2018',
    seeds: overrides.seeds ?? { first: 1, count: 5 },
    world: { users: 30, attributes: 10, items_per_step: 5, startup_steps: 5, steps: 25, ...overrides.world },
    settings: { matrix_factorisation: { factors: 5, sweeps: 3 } },
  });
}

const SMALL = smallConfig();
// One study of the small world over five seeds, shared by the statistical checks below.
const study = runStudy(SMALL);
const row = (recommender: string, training: string) => {
  const found = study.summary.find((r) => r.recommender === recommender && r.training === training);
  if (!found) throw new Error(`no row ${recommender}/${training}`);
  return found;
};
const perSeed = (recommender: string, training: string, field: 'jaccard_change' | 'utility_ratio') =>
  study.runs.filter((r) => r.recommender === recommender && r.training === training).map((r) => r[field]);

function sampleMeanSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

describe('the world', () => {
  it('draws preferences and attributes whose means and spread are their Dirichlet parameters', () => {
    // Many users (for preferences) and many items (for attributes), each in a world of its own.
    const users = drawWorld(smallConfig({ world: { users: 3000, items_per_step: 1, startup_steps: 1, steps: 1 } }).world, 7);
    const items = drawWorld(smallConfig({ world: { users: 2, items_per_step: 1500, startup_steps: 1, steps: 1 } }).world, 7);
    for (const [vectors, count, prior] of [
      [users.preferences, users.users, users.preferencePrior],
      [items.itemAttributes, items.items, items.attributePrior],
    ] as const) {
      const k = prior.length;
      const total = prior.reduce((s, a) => s + a, 0);
      let varianceSeen = 0;
      let varianceExpected = 0;
      for (let j = 0; j < k; j++) {
        const column = Array.from({ length: count }, (_, n) => vectors[n * k + j]);
        const { mean, sd } = sampleMeanSd(column);
        const expected = prior[j] / total;
        // Dirichlet: E[x_j] = a_j / Σa; five standard errors of the sample mean.
        expect(Math.abs(mean - expected), `component ${j}`).toBeLessThan((5 * sd) / Math.sqrt(count) + 1e-12);
        varianceSeen += sd * sd;
        varianceExpected += (expected * (1 - expected)) / (total + 1);
      }
      // The spread sets the concentration: Var x_j = m_j (1 − m_j) / (Σa + 1); ignoring the scale would miss by a factor of several.
      expect(varianceSeen / varianceExpected).toBeGreaterThan(0.85);
      expect(varianceSeen / varianceExpected).toBeLessThan(1.15);
    }
    // The priors are Dirichlet draws scaled to the configured totals, μ_ρ summing to 10 and μ_α to 0.1.
    expect(users.preferencePrior.reduce((s, a) => s + a, 0)).toBeCloseTo(10, 9);
    expect(items.attributePrior.reduce((s, a) => s + a, 0)).toBeCloseTo(0.1, 12);
    // The priors differ across attributes (μ_ρ is itself a Dirichlet draw), so a flat draw would fail above.
    expect(Math.max(...users.preferencePrior) / Math.min(...users.preferencePrior)).toBeGreaterThan(2);
  });

  it('draws true utilities whose mean is preference · attributes, and known utilities a fraction of them', () => {
    const config = smallConfig({ world: { users: 40, items_per_step: 50, startup_steps: 2, steps: 2, item_attributes: { alpha: 100, scale: 10 }, utility_variance: 1e-3 } });
    const world = drawWorld(config.world, 3);
    const residuals: number[] = [];
    const fractions: number[] = [];
    for (let u = 0; u < world.users; u++) {
      for (let i = 0; i < world.items; i++) {
        const mean = utilityMean(world, u, i);
        const v = world.trueUtility[u * world.items + i];
        // Standardised by the Beta's own spread, so every pair weighs alike.
        const { a, b } = betaParameters(mean, config.world.utility_variance);
        residuals.push((v - mean) / Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1))));
        fractions.push(world.knownUtility[u * world.items + i] / v);
      }
    }
    const r = sampleMeanSd(residuals);
    expect(Math.abs(r.mean)).toBeLessThan((4 * r.sd) / Math.sqrt(residuals.length));
    expect(r.sd).toBeGreaterThan(0.9);
    expect(r.sd).toBeLessThan(1.1);
    const f = sampleMeanSd(fractions);
    expect(Math.abs(f.mean - 0.98)).toBeLessThan((4 * f.sd) / Math.sqrt(fractions.length));
    expect(f.sd).toBeLessThan(0.01);
    expect(Math.max(...fractions)).toBeLessThanOrEqual(1);
  });

  it('gives Beta parameters of the asked mean and variance, and a valid Beta where the variance cannot be met', () => {
    for (const [m, v] of [
      [0.3, 1e-3],
      [0.05, 1e-5],
      [0.98, 1e-5],
    ]) {
      const { a, b } = betaParameters(m, v);
      expect(a / (a + b)).toBeCloseTo(m, 12);
      expect((a * b) / ((a + b) ** 2 * (a + b + 1))).toBeCloseTo(v, 12);
    }
    const capped = betaParameters(1e-6, 1e-5);
    expect(capped.a / (capped.a + capped.b)).toBeCloseTo(1e-6, 15);
    expect(capped.a).toBeGreaterThan(0);
  });

  it('pairs each user with their most similar other user and links friends both ways', () => {
    const world = drawWorld(SMALL.world, 1);
    const partners = mostSimilarPartners(world);
    const k = world.attributes;
    const cosine = (u: number, v: number) => {
      let uv = 0, uu = 0, vv = 0;
      for (let j = 0; j < k; j++) {
        uv += world.preferences[u * k + j] * world.preferences[v * k + j];
        uu += world.preferences[u * k + j] ** 2;
        vv += world.preferences[v * k + j] ** 2;
      }
      return uv / Math.sqrt(uu * vv);
    };
    for (let u = 0; u < world.users; u++) {
      expect(partners[u]).not.toBe(u);
      for (let v = 0; v < world.users; v++) if (v !== u) expect(cosine(u, partners[u])).toBeGreaterThanOrEqual(cosine(u, v));
    }
    const friends = socialNetwork(world, 3);
    for (let u = 0; u < world.users; u++) {
      expect(friends[u].length).toBeGreaterThanOrEqual(3);
      for (const v of friends[u]) expect(Array.from(friends[v])).toContain(u);
    }
  });
});

describe('the user', () => {
  it('takes the item maximising rank discount × known utility over the whole ranking, skipping what they consumed', () => {
    const rng = new Rng('choice-check');
    const items = 60;
    const chooser = new Chooser(items);
    const discount = rankDiscounts(items, 0.8);
    for (let trial = 0; trial < 300; trial++) {
      // Few distinct scores, so ties are common and their random order matters.
      const scores = Float64Array.from({ length: items }, () => rng.int(6));
      const tieKeys = Float64Array.from({ length: items }, () => rng.next());
      const known = Float64Array.from({ length: items }, () => rng.next() ** 3);
      const consumed = Uint8Array.from({ length: items }, () => (rng.bernoulli(0.3) ? 1 : 0));
      const chosen = chooser.choose({ items, newFrom: items, scores, tieKeys, consumed, known, discount, interleave: rng });
      const ranking = Array.from({ length: items }, (_, i) => i)
        .filter((i) => consumed[i] === 0)
        .sort((a, b) => scores[b] - scores[a] || tieKeys[a] - tieKeys[b]);
      let best = ranking[0];
      ranking.forEach((item, r) => {
        if (discount[r] * known[item] > discount[ranking.indexOf(best)] * known[best]) best = item;
      });
      expect(chosen).toBe(best);
      expect(consumed[chosen]).toBe(0);
    }
  });

  it("places the step's new items at uniformly random positions of a model's ranking", () => {
    const rng = new Rng('interleave-check');
    const items = 8;
    const chooser = new Chooser(items);
    const discount = rankDiscounts(items, 0.8);
    // Every item is worth the same, so the user takes rank 1; the new item (7) has the top score, which must not count.
    const scores = Float64Array.from({ length: items }, (_, i) => i);
    const known = new Float64Array(items).fill(0.5);
    const consumed = new Uint8Array(items);
    const trials = 4000;
    let first = 0;
    for (let t = 0; t < trials; t++) {
      const tieKeys = Float64Array.from({ length: items }, () => rng.next());
      if (chooser.choose({ items, newFrom: items - 1, scores, tieKeys, consumed, known, discount, interleave: rng }) === items - 1) first++;
    }
    // At rank 1 with probability 1/8; otherwise rank 1 is the best-scored old item (6).
    const p = 1 / items;
    expect(Math.abs(first / trials - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / trials));
    expect(chooser.choose({ items, newFrom: items, scores, tieKeys: new Float64Array(items), consumed, known, discount, interleave: rng })).toBe(items - 1);
  });

  it('never consumes an item twice, nor one that has not arrived, under every recommender and training mode, trained when the mode says', () => {
    const world = drawWorld(SMALL.world, 2);
    const partners = mostSimilarPartners(world);
    const friends = socialNetwork(world, SMALL.settings.social.friends);
    const steps = SMALL.world.startup_steps + SMALL.world.steps;
    for (const mode of TRAINING_MODES) {
      for (const recommender of RECOMMENDER_NAMES) {
        const { interactions, trainedAt } = simulateRun({ config: SMALL, world, seed: 2, partners, friends, recommender, mode });
        expect(interactions.steps).toBe(steps);
        // Single training: once, after the start-up; repeated: before every step after it.
        const startup = SMALL.world.startup_steps;
        expect(trainedAt).toEqual(mode === 'single' ? [startup] : Array.from({ length: SMALL.world.steps }, (_, j) => startup + j));
        for (let u = 0; u < world.users; u++) {
          const history = Array.from(interactions.itemsOf(u));
          expect(new Set(history).size, `${recommender}/${mode}, user ${u}`).toBe(steps);
          history.forEach((item, step) => expect(item).toBeLessThan((step + 1) * world.itemsPerStep));
        }
        expect(interactions.consumed.reduce((s, c) => s + c, 0)).toBe(world.users * steps);
      }
    }
    // The log itself refuses a repeat.
    const log = new Interactions(2, 4, 3);
    log.record(Int32Array.from([0, 1]));
    expect(() => log.record(Int32Array.from([2, 1]))).toThrow(/user 1 consumed item 1 twice/);
  });
});

describe('the recommenders against the ideal oracle', () => {
  it('has the ideal rank by the true utility, and popularity by the number of consumers', () => {
    const world = drawWorld(SMALL.world, 4);
    const log = new Interactions(world.users, world.items, 2);
    log.record(Int32Array.from({ length: world.users }, (_, u) => u % 3));
    log.record(Int32Array.from({ length: world.users }, (_, u) => 3 + (u % 2)));
    const scores = new Float64Array(world.items);
    const context = { world, settings: SMALL.settings, seed: 4, friends: socialNetwork(world, 2) };
    const ideal = buildRecommender('ideal', context);
    ideal.train(log, 5);
    for (const u of [0, 7, world.users - 1]) {
      ideal.score(u, world.items, scores);
      expect(Array.from(scores)).toEqual(Array.from(world.trueUtility.subarray(u * world.items, (u + 1) * world.items)));
    }
    const popularity = buildRecommender('popularity', context);
    popularity.train(log, 5);
    popularity.score(0, 8, scores);
    expect(Array.from(scores.subarray(0, 8))).toEqual([10, 10, 10, 15, 15, 0, 0, 0]);
    expect(ideal.interleavesNewItems).toBe(false);
    expect(popularity.interleavesNewItems).toBe(true);
  });

  it('leaves every recommender with less utility than the ideal, which ranks by the true utility', () => {
    for (const training of SMALL.training) {
      expect(row('ideal', training).utility_ratio.estimate).toBe(1);
      for (const recommender of SMALL.recommenders.filter((r) => r !== 'ideal')) {
        const interval = row(recommender, training).utility_ratio;
        // Per seed, and over seeds with the interval's own margin.
        for (const ratio of perSeed(recommender, training, 'utility_ratio')) expect(ratio, `${recommender}/${training}`).toBeLessThan(1);
        expect(interval.high, `${recommender}/${training}`).not.toBeNull();
        expect(interval.high as number, `${recommender}/${training}`).toBeLessThan(1);
      }
    }
  });

  it('homogenizes less under random recommendations than under popularity', () => {
    for (const training of SMALL.training) {
      const difference = pairedDifference(perSeed('random', training, 'jaccard_change'), perSeed('popularity', training, 'jaccard_change'));
      expect(difference.high, training).not.toBeNull();
      expect(difference.high as number, training).toBeLessThan(0);
    }
  });

  it('trains once under single training and every step under repeated training', () => {
    // Random and ideal never learn: both modes give the same runs. Popularity learns: they differ.
    for (const recommender of ['random', 'ideal']) expect(perSeed(recommender, 'single', 'jaccard_change')).toEqual(perSeed(recommender, 'repeated', 'jaccard_change'));
    expect(perSeed('popularity', 'single', 'jaccard_change')).not.toEqual(perSeed('popularity', 'repeated', 'jaccard_change'));
    // Every curve starts at 0: the start-up is the same random period for every recommender.
    for (const r of study.summary) expect(r.jaccard_change_by_step.slice(0, SMALL.world.startup_steps).every((j) => j === 0), `${r.recommender}/${r.training}`).toBe(true);
  });
});

describe('homogenization', () => {
  it("is the mean over users of the Jaccard index of their and their partner's consumed sets", () => {
    const log = new Interactions(3, 10, 4);
    log.record(Int32Array.from([0, 0, 5]));
    log.record(Int32Array.from([1, 2, 6]));
    log.record(Int32Array.from([2, 1, 7]));
    expect(jaccard(log, 0, 1)).toBe(1); // {0, 1, 2} and {0, 2, 1}
    expect(jaccard(log, 0, 2)).toBe(0);
    log.record(Int32Array.from([3, 4, 0]));
    expect(jaccard(log, 0, 1)).toBeCloseTo(3 / 5, 12); // {0, 1, 2, 3} and {0, 2, 1, 4}
    expect(jaccard(log, 2, 0)).toBeCloseTo(1 / 7, 12); // {5, 6, 7, 0} and {0, 1, 2, 3}
    expect(pairedJaccard(log, Int32Array.from([1, 0, 0]))).toBeCloseTo((3 / 5 + 3 / 5 + 1 / 7) / 3, 12);
  });
});

describe('reproducibility', () => {
  it('gives identical results for the same settings and seeds, and different ones for other seeds', () => {
    const two = smallConfig({ seeds: { first: 1, count: 2 } });
    const again = runStudy(two);
    expect(again.runs).toEqual(study.runs.filter((r) => r.seed <= 2));
    const other = runStudy(smallConfig({ seeds: { first: 11, count: 2 } }));
    expect(other.runs.map((r) => r.jaccard)).not.toEqual(again.runs.map((r) => r.jaccard));
    expect(other.runs.map((r) => r.utility)).not.toEqual(again.runs.map((r) => r.utility));
  });
});

describe('the study file', () => {
  const problem = (text: string): string => {
    try {
      parseChaneyStudy(text, 'study.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      return (error as Error).message;
    }
    throw new Error('expected the study to be refused');
  };

  it('fills the paper-scale defaults', () => {
    const config = parseChaneyStudy('name: c\nstudy: chaney2018\n', 'study.yaml');
    expect(config.world).toMatchObject({ users: 100, attributes: 20, startup_steps: 10, steps: 100, rank_discount: 0.8 });
    expect(config.recommenders).toEqual([...RECOMMENDER_NAMES]);
    expect(config.training).toEqual(['repeated', 'single']);
  });

  it('refuses bad settings naming the file, line, field and what was expected', () => {
    expect(problem('name: c\nstudy: chaney2018\nworld:\n  users: many\n')).toBe('study.yaml:4:10: world.users: expected a number, found the string "many"');
    expect(problem('name: c\nstudy: chaney2018\nrecommenders: [popularity, ideal, popularty]\n')).toMatch(
      /^study\.yaml:3:\d+: recommenders\[2\]: expected one of: popularity, content, .*found the string "popularty".*did you mean "popularity"/,
    );
    expect(problem('name: c\nstudy: chaney2018\nrecommenders: [popularity, random]\n')).toMatch(/^study\.yaml:3:\d+: recommenders: expected ideal among the recommenders/);
    expect(problem('name: c\nstudy: chaney2018\nworld: { user: 5 }\n')).toMatch(/^study\.yaml:3:\d+: world\.user: unknown key "user" \(expected one of: users, .*did you mean "users"/);
    expect(problem('name: c\nstudy: bubbles\n')).toMatch(/^study\.yaml:2:8: study: expected study: chaney2018/);
    expect(problem('- a\n- b\n')).toMatch(/^study\.yaml:1:1: expected a mapping with name, study: chaney2018/);
    expect(problem('name: c\nstudy: chaney2018\nworld: { users: [1\n')).toMatch(/^study\.yaml:\d+:\d+: invalid YAML/);
  });
});

describe('recloop classic', () => {
  it('writes results.json and table.txt, and a bad run leaves the earlier folder as it was', async () => {
    const dir = tempDir('recloop-classic-');
    const file = join(dir, 'tiny.yaml');
    writeFileSync(file, 'name: tiny\nstudy: chaney2018\nseeds: { first: 3, count: 3 }\nworld: { users: 12, attributes: 5, items_per_step: 3, startup_steps: 2, steps: 6 }\nrecommenders: [popularity, random, ideal]\n');
    const out = join(dir, 'out');
    const stdout = new Capture();
    const stderr = new Capture();
    expect(await runCli(['classic', file, '--out', out, '--seeds', '2'], { stdout, stderr })).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['.recloop.json', 'results.json', 'study.resolved.yaml', 'table.txt']);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { seeds: number[]; runs: unknown[] };
    expect(results.seeds).toEqual([3, 4]);
    expect(results.runs).toHaveLength(2 * 2 * 3);
    // The resolved settings read back to the settings that ran.
    const resolved = parseChaneyStudy(readFileSync(join(out, 'study.resolved.yaml'), 'utf8'), 'study.resolved.yaml');
    expect(resolved).toEqual({ ...parseChaneyStudy(readFileSync(file, 'utf8'), file), seeds: { first: 3, count: 2 } });
    const table = readFileSync(join(out, 'table.txt'), 'utf8');
    expect(stdout.text).toBe(table);
    expect(table).toMatch(/^popularity\s+repeated\s+[+-]\d\.\d{3} \[[+-]\d\.\d{3}, [+-]\d\.\d{3}\]\s+\d\.\d{3} \[/m);
    expect(table).toMatch(/^ideal \(oracle\)\s+single\s+\+0\.000 \[\+0\.000, \+0\.000\]\s+1\.000 \[1\.000, 1\.000\]/m);

    // Bad settings, an existing folder without --force, a bad --seeds: each refused with one line, the earlier results untouched.
    mkdirSync(join(dir, 'bad'));
    const bad = join(dir, 'bad', 'bad.yaml');
    writeFileSync(bad, 'name: tiny\nstudy: chaney2018\nworld: { steps: 0 }\n');
    for (const [args, message] of [
      [['classic', bad, '--out', out, '--force'], /bad\.yaml:3:\d+: world\.steps: expected a whole number of 1 or more, found 0/],
      [['classic', file, '--out', out], /already exists; pass --force/],
      [['classic', file, '--out', out, '--seeds', '0', '--force'], /--seeds: expected a whole number of 1 or more, found 0/],
    ] as const) {
      const err = new Capture();
      expect(await runCli([...args], { stdout: new Capture(), stderr: err })).toBe(2);
      expect(err.text).toMatch(message);
      expect(readFileSync(join(out, 'table.txt'), 'utf8')).toBe(table);
    }
  });
});
