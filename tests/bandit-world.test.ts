/**
 * The bandit world: its schema and messages, the Lai–Robbins bound, delayed feedback, arm
 * replacement, reproducibility, the run folder `recloop run` writes, and the contextual policy
 * generalizing to new arms from their features.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BanditSimulation } from '../src/bandit/bandit-simulation.js';
import { buildBanditParts, buildBanditPartsWith } from '../src/bandit/build.js';
import { bernoulliKl, laiRobbinsBound, laiRobbinsConstant } from '../src/bandit/lai-robbins.js';
import type { BanditSummary } from '../src/bandit/summary.js';
import { runCli } from '../src/cli/cli.js';
import { buildExploration } from '../src/recommender/explore/build.js';
import type { ExplorationPolicy } from '../src/recommender/types.js';
import { isBanditScenario, loadAnyScenario, parseAnyScenario, parseScenario, toResolvedYaml, type BanditScenario } from '../src/scenario/index.js';
import { tempDir } from './support/scenarios.js';

function bandit(world: string, exploration = '{ policy: greedy }', extra = ''): BanditScenario {
  const parsed = parseAnyScenario(`name: b\nseed: 4\nworld: { kind: bandit, ${world} }\nrecommender: { kind: bandit, exploration: ${exploration} }\n${extra}`, 'b.yaml');
  if (!isBanditScenario(parsed)) throw new Error('expected a bandit scenario');
  return parsed;
}

function problem(text: string): string {
  try {
    parseAnyScenario(text, 'b.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the scenario to be refused');
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('the bandit world in a scenario', () => {
  it('fills its defaults, has no horizon, and round-trips through the resolved YAML', () => {
    const s = bandit('arms: { count: 3 }');
    expect(s.world).toEqual({ kind: 'bandit', arms: { count: 3, means: { beta: [1, 1] } }, rounds: 10_000, delay: { rounds: 0 } });
    expect(s.recommender.slate_size).toBe(1);
    expect(s.horizon).toBeUndefined();
    expect(parseAnyScenario(toResolvedYaml(s), 'again.yaml')).toEqual(s);
  });

  const BASE = 'name: b\nworld: { kind: bandit, arms: [0.2, 0.5] }\nrecommender: { kind: bandit }\n';
  it.each([
    ['a horizon', `${BASE}horizon: { days: 3 }\n`, 'b.yaml:4:10: horizon: a bandit world has no horizon'],
    ['a pipeline recommender', BASE.replace('kind: bandit }', 'kind: popularity }'), 'recommender.kind: expected kind: bandit in a bandit world'],
    ['one arm', BASE.replace('[0.2, 0.5]', '[0.2]'), 'b.yaml:2:30: world.arms: expected at least two arms, found a list of 1 item'],
    ['a mean above 1', BASE.replace('[0.2, 0.5]', '[0.2, 1.5]'), 'world.arms[1]: expected a probability between 0 and 1, found 1.5'],
    ['arms of another shape', BASE.replace('[0.2, 0.5]', '0.5'), 'world.arms: expected a list of arm means such as [0.1, 0.5, 0.9], or a mapping such as { count: 10, means: { beta: [1, 1] } }'],
    ['an unknown world kind', BASE.replace('kind: bandit,', 'kind: bandt,'), 'unknown world kind "bandt" (expected one of: population, bandit); did you mean "bandit"?'],
    ['the candidate stage', BASE.replace('kind: bandit }', 'kind: bandit, exploration: { policy: thompson, stage: candidate } }'), 'recommender.exploration.stage: a bandit world has no candidate stage'],
    ['a reward other than click', BASE.replace('kind: bandit }', 'kind: bandit, exploration: { policy: ucb, reward: like } }'), 'use reward: click (found like)'],
    ['a catalog draw', BASE.replace('kind: bandit }', 'kind: bandit, exploration: { policy: epsilon_greedy, over: catalog } }'), 'use over: candidates'],
    ['linear Thompson sampling without features', BASE.replace('kind: bandit }', 'kind: bandit, exploration: { policy: linear_thompson } }'), 'linear_thompson needs arm features'],
    ['a feature choice', BASE.replace('kind: bandit }', 'kind: bandit, exploration: { policy: linear_thompson, features: topics } }'), "regresses on the arms' public features; remove recommender.exploration.features"],
    ['more replaced arms than arms', BASE.replace('0.5] }', '0.5], replacement: { every: 10, count: 3 } }'), 'cannot replace 3 arms when there are 2'],
    ['a slate of several arms', BASE.replace('kind: bandit }', 'kind: bandit, slate_size: 3 }'), 'a bandit world pulls one arm per round'],
  ])('refuses %s', (_what, text, says) => {
    expect(problem(text)).toContain(says);
  });

  it('the bandit recommender belongs to the bandit world, and population-only loaders refuse a bandit world', () => {
    expect(problem('name: p\nhorizon: { days: 2 }\nrecommender: { kind: bandit }\n')).toContain('recommender kind bandit runs only in a bandit world');
    expect(() => parseScenario(BASE, 'b.yaml')).toThrow('a bandit world (world.kind: bandit) runs only with `recloop run`');
    expect(problem('name: p\nrecommender: { kind: popularity }\n')).toContain('missing required key "horizon"');
  });

  it.each(['greedy', 'epsilon_greedy', 'thompson', 'ucb', 'boltzmann'])('scenarios/bandit.yaml runs policy %s', async (policy) => {
    const s = await loadAnyScenario('scenarios/bandit.yaml', [`recommender.exploration.policy=${policy}`, 'world.rounds=300']);
    expect(isBanditScenario(s)).toBe(true);
    if (!isBanditScenario(s)) return;
    expect(new BanditSimulation(buildBanditParts(s)).run().rows.length).toBe(1); // report_every 1000 > 300 rounds: one final row
  });
});

describe('Lai–Robbins', () => {
  it('Bernoulli KL divergence and the bound constant Σ Δ/KL(μ‖μ*)', () => {
    expect(bernoulliKl(0.5, 0.5)).toBe(0);
    expect(bernoulliKl(0.4, 0.5)).toBeCloseTo(0.4 * Math.log(0.8) + 0.6 * Math.log(1.2), 14);
    expect(bernoulliKl(0, 0.5)).toBeCloseTo(Math.log(2), 14);
    expect(bernoulliKl(0.3, 1)).toBe(Infinity);
    expect(laiRobbinsConstant([0.4, 0.5, 0.5])).toBeCloseTo(0.1 / bernoulliKl(0.4, 0.5), 12);
    expect(laiRobbinsConstant([0.3, 1])).toBe(0); // told apart at once
    expect(laiRobbinsBound(2, 1)).toBe(0);
    expect(laiRobbinsBound(2, Math.E ** 3)).toBeCloseTo(6, 12);
  });
});

describe('the loop', () => {
  /** Greedy, recording how many rewards it had seen at each pull. */
  function spy(seen: number[]): (ctx: Parameters<typeof buildExploration>[1]) => ExplorationPolicy {
    return (ctx) => {
      const inner = buildExploration({ policy: 'greedy' }, ctx).policy;
      let observed = 0;
      return {
        name: 'spy',
        select: (request, ordered, size, rng) => {
          seen.push(observed);
          expect(request.slateId).toBe(seen.length - 1);
          return inner.select(request, ordered, size, rng);
        },
        observe: () => observed++,
      };
    };
  }

  it.each([0, 7])('a reward reaches the policy %i rounds after its pull', (delay) => {
    const seen: number[] = [];
    new BanditSimulation(buildBanditPartsWith(bandit(`arms: [0.2, 0.6], rounds: 50, delay: { rounds: ${delay} }`), spy(seen))).run();
    expect(seen).toEqual(Array.from({ length: 50 }, (_, t) => Math.max(0, t - delay)));
  });

  it('offers every live arm; replacement retires arms and adds new ones, regret is against the best live arm', () => {
    const offered: number[][] = [];
    const s = bandit('arms: [0.1, 0.2, 0.3], rounds: 30, replacement: { every: 10, count: 2, retire: oldest, means: { beta: [50, 1] } }, report_every: 10');
    const sim = new BanditSimulation(
      buildBanditPartsWith(s, (ctx) => {
        const inner = buildExploration({ policy: 'greedy' }, ctx).policy;
        const select: ExplorationPolicy['select'] = (request, ordered, size, rng) => {
          offered.push(ordered.map((c) => c.itemId).sort((x, y) => x - y));
          return inner.select(request, ordered, size, rng);
        };
        return { name: 'recording', select };
      }),
    );
    const result = sim.run();
    expect(offered[0]).toEqual([0, 1, 2]);
    expect(offered[10]).toEqual([2, 3, 4]);
    expect(offered[20]).toEqual([4, 5, 6]);
    expect(sim.arms.all.map((a) => [a.born, a.retired ?? null])).toEqual([[0, 10], [0, 10], [0, 20], [10, 20], [10, null], [20, null], [20, null]]);
    // New arms have means near 1 (Beta(50, 1)), so the best live mean jumps at round 10.
    expect(sim.arms.mean(3)).toBeGreaterThan(0.8);
    expect(sim.stationary).toBe(false);
    expect(result.rows[0]).not.toHaveProperty('lai_robbins_bound');
    expect(result.pulls.reduce((s, x) => s + x, 0)).toBe(30);
  });

  it('same seed, same run; the world does not depend on the policy (common random numbers)', () => {
    const world = 'arms: { count: 6, means: { beta: [2, 2] } }, rounds: 2000, report_every: 500';
    const a = new BanditSimulation(buildBanditParts(bandit(world, '{ policy: thompson, mc_draws: 5 }'))).run();
    const b = new BanditSimulation(buildBanditParts(bandit(world, '{ policy: thompson, mc_draws: 5 }'))).run();
    expect(b).toEqual(a);
    const eps = new BanditSimulation(buildBanditParts(bandit(world, '{ policy: epsilon_greedy }')));
    expect(eps.arms.all.map((arm) => arm.mean)).toEqual(new BanditSimulation(buildBanditParts(bandit(world))).arms.all.map((arm) => arm.mean));
    const other = new BanditSimulation(buildBanditParts(parseAnyScenario(toResolvedYaml(bandit(world)).replace('seed: 4', 'seed: 5'), 'x.yaml') as BanditScenario));
    expect(other.arms.all.map((arm) => arm.mean)).not.toEqual(eps.arms.all.map((arm) => arm.mean));
  });

  it('with public arm features and replacement, linear Thompson sampling needs far less regret than per-arm Thompson sampling', () => {
    for (const seed of [1, 2, 3]) {
      const world = `arms: { count: 20, means: { logistic: { dim: 4 } } }, rounds: 10000, replacement: { every: 500, count: 5 }`;
      const run = (policy: string) => new BanditSimulation(buildBanditParts(parseAnyScenario(toResolvedYaml(bandit(world, `{ policy: ${policy}, mc_draws: 10 }`)).replace('seed: 4', `seed: ${seed}`), 'x.yaml') as BanditScenario)).run().regret;
      const linear = run('linear_thompson');
      const perArm = run('thompson');
      console.log(`seed ${seed}: regret linear Thompson ${linear.toFixed(0)}, per-arm Thompson ${perArm.toFixed(0)} (ratio ${(linear / perArm).toFixed(2)})`);
      expect(linear).toBeLessThan(0.6 * perArm);
    }
  });
});

describe('recloop run on a bandit scenario', () => {
  it('writes metrics per chunk of rounds and a summary with the bound and pulls per arm, and prints them', async () => {
    const dir = tempDir();
    const file = join(dir, 'bandit.yaml');
    writeFileSync(file, readFileSync('scenarios/bandit.yaml', 'utf8'));
    const out = join(dir, 'run');
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await runCli(['run', file, '--out', out, '--set', 'world.rounds=5000', '--set', 'recommender.exploration.policy=ucb'], { stdout, stderr });
    expect(stderr.text).toContain('5000 rounds of ucb on 10 arms');
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['.recloop.json', 'charts', 'metrics.jsonl', 'report.html', 'run.json', 'scenario.resolved.yaml', 'summary.json', 'summary.md']);
    const rows = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(rows.map((r) => r.round)).toEqual([1000, 2000, 3000, 4000, 5000]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as BanditSummary;
    expect(summary.regret).toBe(rows[4].cumulative_regret);
    expect(summary.per_arm.reduce((s, a) => s + a.pulls, 0)).toBe(5000);
    expect(summary.lai_robbins.bound).toBeCloseTo(summary.lai_robbins.constant * Math.log(5000), 9);
    expect(summary.policy).toBe('ucb');
    expect(stdout.text).toContain('Lai–Robbins lower bound');
    expect(stdout.text).toMatch(/final regret [\d.]+ after 5000 rounds \(ucb\)/);
    const validate = new Capture();
    expect(await runCli(['validate', file], { stdout: validate, stderr })).toBe(0);
    expect(validate.text).toContain('valid scenario "bandit"');
  });
});
