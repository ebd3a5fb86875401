/**
 * The bar for exploration on the plain K-armed bandit: over several seeds, Thompson sampling's
 * regret grows like log T and ends far below epsilon-greedy's, whose regret grows linearly at
 * the rate epsilon × (mean gap of a uniform pull). Arms [0.1, 0.2, 0.3, 0.4, 0.5], T = 50,000,
 * checkpoints every T/10; epsilon = 0.1, so epsilon-greedy's slope should be 0.1 × 0.2 = 0.02.
 *
 * The test prints each seed's figures (`npx vitest run tests/bandit-regret.test.ts`); the policies
 * side by side on scenarios/bandit.yaml come from `npx tsx bench/bandit.ts` (docs/EXPLORATION.md).
 * Thompson sampling uses mc_draws: 10 here: the draws only estimate propensities (from a stream
 * of their own), so they change no pull, only the time taken.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BanditSimulation, type BanditResult } from '../src/bandit/bandit-simulation.js';
import { buildBanditParts } from '../src/bandit/build.js';
import { isBanditScenario, parseAnyScenario, type BanditScenario } from '../src/scenario/index.js';

const T = 50_000;
const SEEDS = [1, 2, 3, 4, 5];
const ARMS = [0.1, 0.2, 0.3, 0.4, 0.5];
const EPSILON = 0.1;

function scenario(seed: number, exploration: string): BanditScenario {
  const text = `name: regret\nseed: ${seed}\nworld: { kind: bandit, arms: [${ARMS.join(', ')}], rounds: ${T}, report_every: ${T / 10} }\nrecommender: { kind: bandit, exploration: ${exploration} }\n`;
  const parsed = parseAnyScenario(text, 'regret.yaml');
  if (!isBanditScenario(parsed)) throw new Error('expected a bandit scenario');
  return parsed;
}

function runAll(exploration: string): BanditResult[] {
  return SEEDS.map((seed) => new BanditSimulation(buildBanditParts(scenario(seed, exploration))).run());
}

const regretAt = (r: BanditResult, tenth: number): number => r.rows[tenth - 1].cumulative_regret;
/** Regret per round over the second half of the run. */
const lateSlope = (r: BanditResult): number => (regretAt(r, 10) - regretAt(r, 5)) / (T / 2);
const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('regret on a 5-armed Bernoulli bandit, 5 seeds, T = 50,000', () => {
  let thompson: BanditResult[] = [];
  let epsilon: BanditResult[] = [];
  beforeAll(() => {
    thompson = runAll('{ policy: thompson, mc_draws: 10 }');
    epsilon = runAll(`{ policy: epsilon_greedy, epsilon: ${EPSILON} }`);
    const line = (name: string, r: BanditResult, seed: number): string =>
      `${name.padEnd(14)} seed ${seed}  regret(T) ${r.regret.toFixed(0).padStart(5)}  regret(T)/regret(T/10) ${(regretAt(r, 10) / regretAt(r, 1)).toFixed(2)}  late slope ${lateSlope(r).toFixed(4)}`;
    console.log([...thompson.map((r, i) => line('thompson', r, SEEDS[i])), ...epsilon.map((r, i) => line('epsilon_greedy', r, SEEDS[i]))].join('\n'));
  });

  it('Thompson sampling grows like log T: regret(T) / regret(T/10) below 2.5 on every seed (linear growth would give 10)', () => {
    for (const r of thompson) expect(regretAt(r, 10) / regretAt(r, 1)).toBeLessThan(2.5);
    // regret / ln t stays roughly flat between T/10 and T (it would rise 7.7x for linear growth).
    const flat = mean(thompson.map((r) => regretAt(r, 10))) / Math.log(T) / (mean(thompson.map((r) => regretAt(r, 1))) / Math.log(T / 10));
    expect(flat).toBeLessThan(1.5);
  });

  it('epsilon-greedy grows linearly, at epsilon times the mean gap of a uniform pull (0.02 per round, ±20%)', () => {
    const rate = EPSILON * mean(ARMS.map((m) => Math.max(...ARMS) - m));
    for (const r of epsilon) {
      expect(lateSlope(r)).toBeGreaterThan(0.8 * rate);
      expect(lateSlope(r)).toBeLessThan(1.2 * rate);
    }
    const ratio = mean(epsilon.map((r) => regretAt(r, 10))) / Math.log(T) / (mean(epsilon.map((r) => regretAt(r, 1))) / Math.log(T / 10));
    expect(ratio).toBeGreaterThan(3);
  });

  it('Thompson sampling ends far below epsilon-greedy: under 15% of its regret on every seed, its late slope under 5%', () => {
    thompson.forEach((r, i) => {
      expect(r.regret).toBeLessThan(0.15 * epsilon[i].regret);
      expect(lateSlope(r)).toBeLessThan(0.05 * lateSlope(epsilon[i]));
    });
  });
});
