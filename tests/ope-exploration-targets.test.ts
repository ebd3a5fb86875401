/**
 * The recommender's own exploration policies as off-policy targets (src/ope/policies/served.ts):
 * fitted on the log at the switch like the recommender fits them, their slot distributions are
 * those of the slates they draw, and `recloop ope` evaluates Thompson sampling and UCB against
 * the twin-world truth. Linear Thompson and candidate-stage exploration are refused, with why.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpePolicy } from '../src/ope/policy-factory.js';
import type { OpeReport } from '../src/ope/run-ope.js';
import { opePolicy } from '../src/scenario/ope-schema.js';
import { slotProbability } from '../src/ope/slot.js';
import type { OpeContext } from '../src/ope/types.js';
import { Rng } from '../src/rng/index.js';
import { ImpressionBuffer, type ImpressionRow } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';
import { cli } from './support/run-cli.js';
import { tempDir } from './support/scenarios.js';

const row = (itemId: number, time: number, clicked: boolean): ImpressionRow => ({
  time, epoch: 0, slateId: 0, userId: 0, position: 0, arm: 'a', source: 's', propensity: 1, watchMinutes: 0, watchFraction: 0,
  itemId, clicked, completed: false, liked: false, survey: null,
});

/** A day of log over items 0..7: item 5 clicked 9 times in 10, item 2 shown 10 times and never clicked, the rest clicked once each. */
function dayOfLog(): TrainingLog {
  const buffer = new ImpressionBuffer(64);
  for (let t = 0; t < 10; t++) buffer.append(row(5, 0.5, t < 9));
  for (let t = 0; t < 10; t++) buffer.append(row(2, 0.5, false));
  for (const item of [0, 1, 3, 4, 6, 7]) buffer.append(row(item, 0.5, true));
  const log = new TrainingLog(7);
  log.add({ epoch: 0, start: 0, end: 1, impressions: buffer });
  return log;
}

const ctx = (slateId: number): OpeContext => ({ slateId, userId: 1, time: 1.2, catalogSize: 8, slateSize: 3 });

describe('exploration policies as OPE targets', () => {
  const parse = (target: unknown) => opePolicy.parse(target);

  it('Thompson: fitted on the log at the switch, its slot distributions those of the slates it draws', () => {
    const { policy } = buildOpePolicy(parse({ policy: 'popularity', exploration: { policy: 'thompson', mc_draws: 3000 }, pool: 8 }), dayOfLog(), 1, 1, 's');
    expect(policy.name).toBe('thompson(popularity)');
    const slots = [0, 1, 2].map((p) => policy.slot(ctx(4), p));
    // The posterior saw item 5 clicked 9 times in 10 (Beta(10, 2)), six items once in once (Beta(2, 1)) and item 2
    // never in 10 (Beta(1, 11)): 5 is the likeliest first item, 2 almost never first.
    const first = Array.from({ length: 8 }, (_, item) => slotProbability(slots[0], item, 8));
    expect(first.indexOf(Math.max(...first))).toBe(5);
    expect(slotProbability(slots[0], 2, 8)).toBeLessThan(0.01);
    // Drawn from a twin fitted with one MC draw: the choices never depend on mc_draws, only the propensities do.
    const drawer = buildOpePolicy(parse({ policy: 'popularity', exploration: { policy: 'thompson', mc_draws: 1 }, pool: 8 }), dayOfLog(), 1, 1, 's').policy;
    const rng = new Rng('draws');
    const counts = [new Map<number, number>(), new Map<number, number>(), new Map<number, number>()];
    const draws = 6000;
    for (let m = 0; m < draws; m++) drawer.sample(ctx(4), rng).forEach((item, p) => counts[p].set(item, (counts[p].get(item) ?? 0) + 1));
    for (let p = 0; p < 3; p++) {
      for (let item = 0; item < 8; item++) {
        const q = slotProbability(slots[p], item, 8);
        const f = (counts[p].get(item) ?? 0) / draws;
        const v = Math.max(q, f) * (1 - Math.max(q, f));
        expect(Math.abs(f - q), `slot ${p} item ${item}`).toBeLessThanOrEqual(4.5 * Math.sqrt(v / draws + v / 3000) + 1e-12);
      }
    }
    // Seeded per slate: the distributions do not depend on which slate was asked first.
    const again = buildOpePolicy(parse({ policy: 'popularity', exploration: { policy: 'thompson', mc_draws: 3000 }, pool: 8 }), dayOfLog(), 1, 1, 's').policy;
    again.slot(ctx(9), 0);
    expect(again.slot(ctx(4), 1)).toEqual(slots[1]);
  });

  it('UCB: deterministic, items never shown first, then by upper bound', () => {
    const { policy } = buildOpePolicy(parse({ policy: 'popularity', exploration: { policy: 'ucb', c: 0.1 }, pool: 8 }), dayOfLog(), 1, 1, 's');
    expect(policy.name).toBe('ucb(popularity)');
    const slots = [0, 1, 2].map((p) => policy.slot(ctx(0), p));
    for (const s of slots) expect(s.probs).toEqual([1]);
    // Every item of the day was shown; with c small the means lead: the six clicked once in one showing (mean 1), ties in ranking order.
    const top = slots.map((s) => s.items[0]);
    expect(top.every((item) => [0, 1, 3, 4, 6, 7].includes(item))).toBe(true);
    expect(policy.sample(ctx(0), new Rng('x'))).toEqual(top);
  });

  it('refuses linear Thompson and candidate-stage exploration, saying why', () => {
    const linear = opePolicy.safeParse({ policy: 'popularity', exploration: { policy: 'linear_thompson' } });
    expect(linear.success).toBe(false);
    expect(linear.error?.issues[0]).toMatchObject({ path: ['exploration', 'policy'], message: expect.stringMatching(/request features/) });
    const candidate = opePolicy.safeParse({ policy: 'popularity', exploration: { policy: 'thompson', stage: 'candidate' } });
    expect(candidate.error?.issues[0]).toMatchObject({ path: ['exploration', 'stage'], message: expect.stringMatching(/slate stage/) });
  });
});

const SCENARIO = (target: string) => `
name: ope-exploration-target
seed: 5
horizon: { days: 4 }
schedule: { kind: continuous, batch_window: 1m }
world:
  topics: 8
  users: { count: 500, signups_per_day: 20 }
  items: { count: 120, uploads_per_day: 10, creators: 30 }
recommender:
  kind: random
  slate_size: 4
logs: { impressions: false }
ope:
  logging: { policy: uniform }
  target: ${target}
  eval_days: 1
  popularity_window: 2d
  bootstrap: 20
`;

describe('recloop ope with an exploration target', () => {
  for (const [name, target, policy] of [
    ['Thompson sampling', '{ policy: popularity, exploration: { policy: thompson, mc_draws: 50 }, pool: 12 }', 'thompson(popularity)'],
    ['UCB', '{ policy: popularity, exploration: { policy: ucb }, pool: 12 }', 'ucb(popularity)'],
  ] as const) {
    it(`evaluates ${name} against the twin world it served`, async () => {
      const dir = tempDir('recloop-ope-target-');
      const file = join(dir, 'scenario.yaml');
      writeFileSync(file, SCENARIO(target));
      const out = join(dir, 'result');
      const { code, err } = await cli(['ope', file, '--out', out]);
      expect(err).not.toMatch(/recloop:/);
      expect(code).toBe(0);
      const report = JSON.parse(readFileSync(join(out, 'ope.json'), 'utf8')) as OpeReport;
      expect(report.target.policy).toBe(policy);
      // The twin is identical before the switch and served by the target after it.
      expect(report.twin_check).toEqual({ epochs_before_switch: 3, identical_before_switch: true, target_logged_in_twin: true });
      expect(report.truth.twin_slates).toBeGreaterThan(300);
      for (const e of report.estimators) {
        expect(Number.isFinite(e.estimate)).toBe(true);
        expect(e.error).toBeCloseTo(e.estimate - report.truth.twin_realised, 12);
      }
    });
  }
});
