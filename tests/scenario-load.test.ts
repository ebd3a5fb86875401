import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadScenario, parseScenario, ScenarioError, toResolvedYaml, type Scenario } from '../src/scenario/index.js';

const BASE = 'name: t\nhorizon: { days: 3 }\nrecommender: { kind: popularity }\n';
const GOOD = 'tests/fixtures/scenarios/good';
const MINUTE = 1 / 1440;

function rejection(run: () => unknown): ScenarioError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return error as ScenarioError;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('parseScenario', () => {
  it('fills defaults', () => {
    const s = parseScenario(BASE, 'base.yaml');
    expect(s.description).toBe('');
    expect(s.seed).toBe(1);
    expect(s.schedule).toMatchObject({ kind: 'continuous', batch_window: 0 });
    expect(s.world.kind).toBe('population');
    expect(s.world.users.count).toBe(2000);
    expect(s.world.users.kind === 'satisfaction' && s.world.users.preferences.topic_concentration).toBe(0.3);
    expect(s.world.items.quality.beta).toEqual([2, 2]);
    expect(s.world.items.length_minutes.lognormal).toEqual([1.5, 0.8]);
    expect(s.world.choice.model).toBe('mnl');
    expect(s.recommender).toMatchObject({ kind: 'popularity', slate_size: 10, window: 3, exclude_seen: true, retrain: { every: 1, window: 14 } });
    expect(s.logs.impressions).toBe(true);
    expect(s.metrics).toMatchObject({ homogenization_sample: 300, fresh_age: 2 });
  });

  it('turns durations into days', () => {
    const s = parseScenario(
      `${BASE}schedule: { kind: continuous, batch_window: 30s }\nworld: { users: { sessions: { think_time: 5m } } }\nmetrics: { fresh_age: 12h }\n`,
      'd.yaml',
    );
    expect(s.schedule.kind === 'continuous' && s.schedule.batch_window).toBeCloseTo(30 / 86_400, 15);
    expect(s.world.users.kind === 'satisfaction' && s.world.users.sessions.think_time).toBeCloseTo(5 * MINUTE, 15);
    expect(s.metrics.fresh_age).toBe(0.5);
    const steps = parseScenario(
      'name: t\nhorizon: { days: 30 }\nschedule: { kind: steps, step: 2h }\nrecommender: { kind: random, retrain: { every: 1w, window: 2w } }\n',
      's.yaml',
    );
    expect(steps.schedule).toMatchObject({ kind: 'steps', step: 1 / 12 });
    expect(steps.recommender.retrain).toMatchObject({ every: 7, window: 14 });
    expect(parseScenario(`${BASE}metrics: { fresh_age: 1.5 }\n`, 'n.yaml').metrics.fresh_age).toBe(1.5);
  });

  it('returns a deep-frozen scenario', () => {
    const s = parseScenario(BASE, 'base.yaml');
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.world)).toBe(true);
    expect(Object.isFrozen(s.world.users.sessions)).toBe(true);
    expect(Object.isFrozen(s.world.items.quality.beta)).toBe(true);
    expect(Object.isFrozen(s.recommender.retrain)).toBe(true);
    expect(() => {
      (s.world.users as { count: number }).count = 1;
    }).toThrow(TypeError);
  });

  it('accepts anchors and aliases', () => {
    const s = parseScenario(`${BASE}world:\n  items: { quality: { beta: &b [3, 4] }, length_minutes: { lognormal: *b } }\n`, 'a.yaml');
    expect(s.world.items.length_minutes.lognormal).toEqual([3, 4]);
  });
});

describe('overrides', () => {
  it('sets a number', () => {
    expect(parseScenario(BASE, 'o.yaml', ['world.users.count=5000']).world.users.count).toBe(5000);
  });

  it('sets a boolean', () => {
    const s = parseScenario(BASE, 'o.yaml', ['recommender.exclude_seen=false', 'logs.impressions=false']);
    expect(s.recommender.kind === 'popularity' && s.recommender.exclude_seen).toBe(false);
    expect(s.logs.impressions).toBe(false);
  });

  it('sets a string, replacing a value from the file', () => {
    const s = parseScenario(BASE, 'o.yaml', ['recommender.kind=random', 'description=a run with more users']);
    expect(s.recommender.kind).toBe('random');
    expect(s.description).toBe('a run with more users');
  });

  it('sets a list, and a list item', () => {
    expect(parseScenario(BASE, 'o.yaml', ['world.items.quality.beta=[2,5]']).world.items.quality.beta).toEqual([2, 5]);
    const s = parseScenario(`${BASE}world: { items: { quality: { beta: [2, 2] } } }\n`, 'o.yaml', ['world.items.quality.beta[1]=7']);
    expect(s.world.items.quality.beta).toEqual([2, 7]);
  });

  it('sets a duration', () => {
    const s = parseScenario(BASE, 'o.yaml', ['schedule.batch_window=5m']);
    expect(s.schedule.kind === 'continuous' && s.schedule.batch_window).toBeCloseTo(5 * MINUTE, 15);
  });

  it('creates missing mappings on the way', () => {
    const s = parseScenario(BASE, 'o.yaml', ['world.users.churn.base=0.2', 'recommender.retrain.every=2d']);
    expect(s.world.users.churn).toMatchObject({ base: 0.2, satisfaction_weight: 2 });
    expect(s.recommender.retrain).toMatchObject({ every: 2, window: 14 });
  });

  it('applies overrides in order, the last one winning', () => {
    expect(parseScenario(BASE, 'o.yaml', ['seed=2', 'seed=3']).seed).toBe(3);
  });

  it('sets a whole mapping', () => {
    const s = parseScenario(BASE, 'o.yaml', ['schedule={kind: steps, step: 1d}']);
    expect(s.schedule).toMatchObject({ kind: 'steps', step: 1 });
  });

  it('names a malformed override with --set', () => {
    for (const [text, says] of [
      ['world.users.count', 'no "="'],
      ['=5', 'the key path before "=" is empty'],
      ['world..count=5', 'is not a key path'],
      ['world.items.quality.beta=[2,5', 'cannot read the value "[2,5" as YAML'],
      ['horizon.days.unit=d', ': horizon.days is 3, not a mapping'],
    ] as const) {
      const error = rejection(() => parseScenario(BASE, 'o.yaml', [text]));
      expect(error.message).toContain(`--set ${text}: `);
      expect(error.message).toContain(says);
      expect(error.problems[0].override).toBe(text);
    }
  });

  it('reports a bad overridden value at --set, not at a file line', () => {
    const error = rejection(() => parseScenario(BASE, 'o.yaml', ['world.users.count=many', 'world.users.cout=3', 'recommender.kind=randm']));
    expect(error.message.split('\n')).toEqual([
      '--set world.users.count: expected a number, found the string "many"',
      expect.stringMatching(/^--set world\.users\.cout: unknown key "cout" \(expected one of: count, .*\); did you mean "count"\?$/),
      '--set recommender.kind: unknown recommender kind "randm" (expected one of: random, popularity, oracle, bandit, two_stage, module); did you mean "random"?',
    ]);
    expect(error.problems[0]).toMatchObject({ file: 'o.yaml', path: 'world.users.count', override: 'world.users.count' });
    expect(error.problems[0].line).toBeUndefined();
  });

  it('reports problems inside an overridden mapping at that override', () => {
    const error = rejection(() => parseScenario(BASE, 'o.yaml', ['world.users={count: -1}']));
    expect(error.message).toBe('--set world.users: world.users.count: expected a count of 0 or more, found -1');
  });

  it('still reports problems in the file at their lines', () => {
    const error = rejection(() => parseScenario(`${BASE}seed: x\n`, 'o.yaml', ['world.users.count=1.5']));
    expect(error.message.split('\n')).toEqual([
      'o.yaml:4:7: seed: expected a number, found the string "x"',
      '--set world.users.count: expected a whole number, found 1.5',
    ]);
  });

  it('runs the consistency checks on overridden values', () => {
    const error = rejection(() => parseScenario(BASE, 'o.yaml', ['recommender.retrain.every=7d']));
    expect(error.message).toContain('o.yaml:2:18: horizon.days: the horizon (3d) is shorter than recommender.retrain.every (7d)');
    const batch = rejection(() => parseScenario(BASE, 'o.yaml', ['schedule.batch_window=7m']));
    expect(batch.message).toMatch(/^--set schedule\.batch_window: .*does not divide/);
  });
});

describe('toResolvedYaml', () => {
  const sources: [string, string][] = [
    ['base', BASE],
    ...readdirSync(GOOD).map((f): [string, string] => [f, `@${join(GOOD, f)}`]),
  ];

  it.each(sources)('round-trips %s', async (_, text) => {
    const scenario: Scenario = text.startsWith('@') ? await loadScenario(text.slice(1)) : parseScenario(text, 'base.yaml');
    const yaml = toResolvedYaml(scenario);
    const [header, ...rest] = yaml.split('\n');
    expect(header).toMatch(/^# /);
    expect(rest.some((line) => line.startsWith('#'))).toBe(false);
    const again = parseScenario(yaml, 'resolved.yaml');
    expect(again).toEqual(scenario);
    expect(toResolvedYaml(again)).toBe(yaml);
  });

  it('writes every default and durations as numbers of days', () => {
    const scenario = parseScenario(`${BASE}schedule: { kind: continuous, batch_window: 6h }\n`, 'r.yaml');
    const plain = parse(toResolvedYaml(scenario)) as Record<string, unknown>;
    expect(plain).toEqual(JSON.parse(JSON.stringify(scenario)));
    expect(Object.keys(plain)).toEqual(expect.arrayContaining(['name', 'description', 'seed', 'horizon', 'schedule', 'world', 'recommender', 'logs', 'metrics']));
    expect(plain.schedule).toMatchObject({ kind: 'continuous', batch_window: 0.25 });
    expect(plain.metrics).toMatchObject({ homogenization_sample: 300, fresh_age: 2 });
  });
});

describe('good scenario files', () => {
  const files = readdirSync(GOOD).filter((f) => f.endsWith('.yaml'));

  it('has a few', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s loads', async (file) => {
    const s = await loadScenario(join(GOOD, file));
    expect(Object.isFrozen(s)).toBe(true);
    expect(s.name).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('reads the continuous batched scenario', async () => {
    const s = await loadScenario(join(GOOD, 'continuous-batched.yaml'));
    expect(s.schedule.kind).toBe('continuous');
    expect(s.schedule.kind === 'continuous' && s.schedule.batch_window).toBeCloseTo(5 * MINUTE, 15);
    expect(s.recommender.retrain).toMatchObject({ every: 0.25, window: 7 });
    expect(s.world.users.kind === 'satisfaction' && s.world.users.sessions.think_time).toBeCloseTo(30 / 86_400, 15);
    expect(s.world.items.quality.beta).toEqual([2, 5]);
  });

  it('reads the steps scenario', async () => {
    const s = await loadScenario(join(GOOD, 'steps.yaml'));
    expect(s.schedule).toMatchObject({ kind: 'steps', step: 1 });
    expect(s.recommender).toMatchObject({ kind: 'oracle', retrain: { every: 7, window: 14 } });
    expect(s.world.choice).toMatchObject({ model: 'cascade', position_bias: 0.7, no_click_utility: 1.5 });
    expect(s.metrics.fresh_age).toBe(0.5);
  });

  it('reads the random scenario, with overrides', async () => {
    const s = await loadScenario(join(GOOD, 'random.yaml'), ['world.users.count=50', 'recommender.slate_size=5']);
    expect(s.recommender).toMatchObject({ kind: 'random', slate_size: 5, retrain: { every: 1, window: 14 } });
    expect(s.world.users.count).toBe(50);
  });
});
