/**
 * The `experiment` section and `replicas`: arms are partial overrides of `recommender`, merged
 * with it and validated exactly like it, with problems shown at the arm's own lines (or at the
 * `--set` override responsible).
 */
import { describe, expect, it } from 'vitest';
import { resolveExperiment } from '../src/experiment/arms.js';
import { parseScenario, ScenarioError, toResolvedYaml, type Scenario } from '../src/scenario/index.js';

const BASE = `name: exp
horizon: { days: 3 }
recommender:
  kind: popularity
  slate_size: 5
  window: 2d
  retrain: { every: 1d, window: 7d }
`;

function load(experiment: string, overrides: string[] = []): Scenario {
  return parseScenario(`${BASE}${experiment}`, 'exp.yaml', overrides);
}

function problems(experiment: string, overrides: string[] = []): string[] {
  try {
    load(experiment, overrides);
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('experiment arms', () => {
  it('merges each arm into the base recommender; a new kind keeps only the settings every kind shares', () => {
    const scenario = load(`replicas: 3
experiment:
  control: pop
  arms:
    pop: {}
    wide: { slate_size: 8, retrain: { window: 3d } }
    rnd: { kind: random }
`);
    expect(scenario.replicas).toBe(3);
    const arms = resolveExperiment(scenario).arms;
    expect(arms.map((arm) => [arm.name, arm.role, arm.traffic])).toEqual([
      ['pop', 'control', 1],
      ['wide', 'treatment', 1],
      ['rnd', 'treatment', 1],
    ]);
    expect(arms[0].recommender).toEqual(scenario.recommender);
    expect(arms[1].recommender).toEqual({ ...scenario.recommender, slate_size: 8, retrain: { every: 1, window: 3 } });
    expect(arms[2].recommender).toEqual({
      kind: 'random',
      slate_size: 5,
      retrain: { every: 1, window: 7 },
      random_startup: 0,
      exploration: scenario.recommender.exploration,
    });
  });

  it('reports every bad arm at its own line, with what the recommender section allows', () => {
    expect(
      problems(`experiment:
  control: pop
  arms:
    pop: {}
    big: { slate_sise: 7 }
    neg:
      slate_size: 0
    rnd:
      kind: random
      window: 3d
    odd: { kind: bandits }
`),
    ).toEqual([
      // The keys allowed are the popularity kind's (window, exclude_seen), whatever the shared keys grow to.
      expect.stringMatching(
        /^exp\.yaml:12:24: experiment\.arms\.big\.slate_sise: arm "big": unknown key "slate_sise" \(expected one of: kind, slate_size, .*window, exclude_seen\); did you mean "slate_size"\?$/,
      ),
      'exp.yaml:14:19: experiment.arms.neg.slate_size: arm "neg": expected a whole number of 1 or more, found 0',
      expect.stringMatching(/^exp\.yaml:17:15: experiment\.arms\.rnd\.window: arm "rnd": unknown key "window" \(expected one of: kind, slate_size, /),
      expect.stringMatching(/^exp\.yaml:18:18: experiment\.arms\.odd\.kind: arm "odd": unknown kind "bandits" \(expected one of: .*\); did you mean "bandit"\?$/),
    ]);
  });

  it('runs the cross-field checks on each arm too, reporting only what the arm changed', () => {
    expect(problems(`experiment:\n  control: a\n  arms:\n    a: {}\n    b: { retrain: { window: 2h } }\n`)).toEqual([
      expect.stringMatching(/^exp\.yaml:12:29: experiment\.arms\.b\.retrain\.window: arm "b": recommender\.retrain\.window \(2h\) is shorter than recommender\.retrain\.every \(1d\)/),
    ]);
    expect(problems(`experiment:\n  control: a\n  arms:\n    a: {}\n    b: { retrain: { every: 2d } }\n`)).toEqual([
      expect.stringMatching(/^exp\.yaml:12:28: experiment\.arms\.b\.retrain\.every: arm "b" retrains every 2d, the base recommender every 1d; arms are compared epoch by epoch/),
    ]);
  });

  it('rejects an unknown control arm, with a suggestion', () => {
    expect(problems(`experiment:\n  control: popp\n  arms: { pop: {}, rnd: { kind: random } }\n`)).toEqual([
      'exp.yaml:9:12: experiment.control: unknown control arm "popp" (expected one of: pop, rnd); did you mean "pop"?',
    ]);
  });

  it('reports a bad arm given with --set at the override', () => {
    expect(problems(`experiment:\n  control: a\n  arms: { a: {} }\n`, ['experiment.arms.b.slate_size=0'])).toEqual([
      '--set experiment.arms.b.slate_size: arm "b": expected a whole number of 1 or more, found 0',
    ]);
    const scenario = load(`experiment:\n  control: a\n  arms: { a: {} }\n`, ['experiment.arms.b.kind=random', 'replicas=4']);
    expect(resolveExperiment(scenario).arms.map((arm) => arm.recommender.kind)).toEqual(['popularity', 'random']);
    expect(scenario.replicas).toBe(4);
  });

  it('round-trips through the resolved YAML', () => {
    const scenario = load(`experiment:\n  design: user_split\n  control: a\n  arms: { a: {}, b: { kind: random, traffic: 0.05 } }\n  guardrails: { ctr: 0.05, impression_gini: { absolute: 0.02 } }\n`);
    expect(parseScenario(toResolvedYaml(scenario), 'resolved.yaml')).toEqual(scenario);
  });
});

describe('designs, traffic and guardrails', () => {
  it('splits traffic: stated shares kept, the rest shared equally, the holdback last on the control recommender', () => {
    const scenario = load(`experiment:
  design: user_split
  control: a
  arms: { a: {}, b: { traffic: 0.05 }, c: {} }
  holdback: { traffic: 0.05 }
  pooled_training: true
`);
    const arms = resolveExperiment(scenario).arms;
    expect(arms.map((arm) => [arm.name, arm.role, arm.pooled])).toEqual([
      ['a', 'control', true],
      ['b', 'treatment', true],
      ['c', 'treatment', true],
      ['holdback', 'holdback', false],
    ]);
    expect(arms.map((arm) => arm.traffic)).toEqual([expect.closeTo(0.45, 12), 0.05, expect.closeTo(0.45, 12), 0.05]);
    expect(arms[3].recommender).toEqual(arms[0].recommender);
  });

  it('rejects traffic that does not add up to 1', () => {
    expect(problems(`experiment:\n  design: user_split\n  control: a\n  arms: { a: { traffic: 0.9 }, b: { traffic: 0.2 } }\n`)).toEqual([
      "exp.yaml:11:25: experiment.arms.a.traffic: the arms' traffic adds up to 1.1; in a user split the shares add up to 1",
    ]);
    expect(problems(`experiment:\n  design: user_split\n  control: a\n  arms: { a: { traffic: 0.5 }, b: { traffic: 0.2 } }\n`)[0]).toContain(
      "the arms' traffic adds up to 0.7; in a user split the shares add up to 1 (leave one arm's traffic out to give it the rest)",
    );
  });

  it('keeps traffic, holdback and pooled training to the user split', () => {
    expect(
      problems(`experiment:
  control: a
  arms: { a: { traffic: 0.5 }, b: {} }
  holdback: { traffic: 0.1 }
  pooled_training: true
`),
    ).toEqual([
      expect.stringMatching(/^exp\.yaml:10:25: experiment\.arms\.a\.traffic: traffic applies to design: user_split/),
      expect.stringMatching(/^exp\.yaml:11:13: experiment\.holdback: a holdback applies to design: user_split/),
      expect.stringMatching(/^exp\.yaml:12:20: experiment\.pooled_training: pooled_training applies to design: user_split/),
    ]);
  });

  it('needs a direction for every guardrail metric and one kind of threshold', () => {
    expect(problems(`experiment:\n  control: a\n  arms: { a: {} }\n  guardrails: { clicks_per_day: 0.1, ctr: { relative: 0.1, absolute: 0.01 } }\n`)).toEqual([
      expect.stringMatching(/^exp\.yaml:11:33: experiment\.guardrails\.clicks_per_day: guardrail metric "clicks_per_day" has no known direction/),
      expect.stringMatching(/^exp\.yaml:11:43: experiment\.guardrails\.ctr: guardrail ctr: expected exactly one of relative or absolute/),
    ]);
    const scenario = load(`experiment:\n  control: a\n  arms: { a: {} }\n  guardrails: { calibration_error: { absolute: 0.01, better: lower } }\n`);
    expect(scenario.experiment?.guardrails).toEqual({ calibration_error: { absolute: 0.01, better: 'lower' } });
  });

  it('rejects a burn-in that leaves no epoch', () => {
    expect(problems(`experiment:\n  control: a\n  arms: { a: {} }\n  measure_from: 3d\n`)).toEqual([
      expect.stringMatching(/^exp\.yaml:11:17: experiment\.measure_from: experiment\.measure_from \(3d\) leaves no epoch inside the horizon \(3d\)/),
    ]);
  });
});
