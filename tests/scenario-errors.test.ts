import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, ScenarioError } from '../src/scenario/index.js';

const BAD = 'tests/fixtures/scenarios/bad';

interface Row {
  /** Fixture file in tests/fixtures/scenarios/bad/. */
  readonly file: string;
  /** Line of the (first) problem. */
  readonly line: number;
  /** Dotted key path of the problem; empty for problems with the file as a whole. */
  readonly path: string;
  /** A fragment of the problem's message. */
  readonly says: string;
}

const rows: readonly Row[] = [
  // Types
  { file: 'string-for-number.yaml', line: 7, path: 'world.users.count', says: 'expected a number, found the string "many"' },
  { file: 'quoted-number.yaml', line: 4, path: 'recommender.slate_size', says: 'found the string "10" (remove the quotes to make it a number)' },
  { file: 'mapping-expected.yaml', line: 3, path: 'horizon', says: 'expected a mapping, found 30' },
  { file: 'beta-item-type.yaml', line: 8, path: 'world.items.quality.beta[1]', says: 'expected a number, found the string "two"' },
  // Ranges
  { file: 'negative-count.yaml', line: 7, path: 'world.items.count', says: 'expected a count of 0 or more, found -5' },
  { file: 'probability-above-one.yaml', line: 7, path: 'world.choice.position_bias', says: 'expected a probability between 0 and 1, found 1.5' },
  { file: 'count-not-whole.yaml', line: 7, path: 'world.users.count', says: 'expected a whole number, found 2.5' },
  { file: 'beta-wrong-length.yaml', line: 8, path: 'world.items.quality.beta', says: 'expected a pair [alpha, beta], found a list of 3 items' },
  { file: 'bad-name.yaml', line: 2, path: 'name', says: 'expected a name of letters, digits, dot, dash or underscore that does not start with a dot (it names the output folder: "." or ".." would leave the output folder, a leading dot would hide it), found the string "my run"' },
  // Keys
  { file: 'unknown-top-level-key.yaml', line: 5, path: 'colour', says: 'unknown key "colour" (expected one of: name, description, seed, horizon,' },
  { file: 'unknown-top-level-typo.yaml', line: 5, path: 'seeds', says: 'did you mean "seed"?' },
  { file: 'unknown-nested-key.yaml', line: 8, path: 'world.users.signups_per_dya', says: 'unknown key "signups_per_dya" (expected one of: count, signups_per_day,' },
  { file: 'missing-horizon.yaml', line: 2, path: 'horizon', says: 'missing required key "horizon"' },
  { file: 'missing-recommender-kind.yaml', line: 4, path: 'recommender.kind', says: 'missing required key "kind" (expected one of: random, popularity, oracle, bandit, two_stage, module)' },
  { file: 'duplicate-key.yaml', line: 5, path: 'horizon', says: 'duplicate key "horizon" (first given on line 3)' },
  { file: 'duplicate-nested-key.yaml', line: 8, path: 'world.users.count', says: 'duplicate key "count" (first given on line 7)' },
  // Kinds and enums
  { file: 'bad-recommender-kind.yaml', line: 5, path: 'recommender.kind', says: 'unknown recommender kind "popularty" (expected one of: random, popularity, oracle, bandit, two_stage, module); did you mean "popularity"?' },
  { file: 'bad-schedule-kind.yaml', line: 6, path: 'schedule.kind', says: 'unknown schedule kind "weekly" (expected one of: continuous, steps)' },
  { file: 'bad-choice-model.yaml', line: 7, path: 'world.choice.model', says: 'unknown choice model "logit" (expected one of: mnl, cascade)' },
  { file: 'bad-calibration.yaml', line: 7, path: 'recommender.ranker.calibration', says: 'expected none, platt or isotonic, found the string "platts"; did you mean "platt"?' },
  { file: 'bad-rerank-kind.yaml', line: 7, path: 'recommender.rerank.kind', says: 'unknown rerank kind "mmr" (expected one of: diversity)' },
  { file: 'bad-ranker-model.yaml', line: 7, path: 'recommender.ranker.model', says: 'expected dcn_v2 or mmoe, found the string "dcn_v3"; did you mean "dcn_v2"?' },
  { file: 'bad-cross-rank.yaml', line: 7, path: 'recommender.ranker.cross_rank', says: 'expected full or a positive whole number, found the string "half"' },
  // Durations
  { file: 'bad-duration.yaml', line: 7, path: 'schedule.batch_window', says: 'expected a duration such as 30s, 5m, 2h, 1d or a number of days, found the string "5 minutes"' },
  { file: 'zero-duration.yaml', line: 7, path: 'recommender.retrain.every', says: 'expected a duration above zero' },
  // YAML syntax and document shape
  { file: 'bad-indentation.yaml', line: 5, path: '', says: 'invalid YAML: All mapping items must start at the same column' },
  { file: 'unclosed-bracket.yaml', line: 9, path: '', says: 'the "[" opened at line 8, column 13 is not closed' },
  { file: 'unclosed-quote.yaml', line: 7, path: '', says: 'the quote opened at line 5, column 14 is never closed' },
  { file: 'tab-indentation.yaml', line: 6, path: '', says: 'indent with spaces' },
  { file: 'multiple-documents.yaml', line: 5, path: '', says: 'more than one document' },
  { file: 'unknown-alias.yaml', line: 6, path: 'world.users', says: 'unknown alias *users' },
  { file: 'empty.yaml', line: 1, path: '', says: 'file is empty; expected a scenario mapping with at least name, horizon and recommender' },
  { file: 'comment-only.yaml', line: 1, path: '', says: 'file is empty; expected a scenario mapping with at least name, horizon and recommender' },
  { file: 'list-top-level.yaml', line: 2, path: '', says: 'expected a scenario mapping at the top level' },
  // Consistency across fields
  { file: 'steps-retrain-not-multiple.yaml', line: 8, path: 'recommender.retrain.every', says: 'is not a whole number of steps of schedule.step (2d)' },
  { file: 'steps-default-retrain.yaml', line: 7, path: 'schedule.step', says: 'set recommender.retrain.every to a multiple of 2d' },
  { file: 'linear-features-without-ranker.yaml', line: 8, path: 'recommender.exploration.features', says: 'a popularity recommender has no ranker; use kind: two_stage, or features: topics' },
  { file: 'linear-features-no-holdout.yaml', line: 7, path: 'recommender.ranker.holdout', says: 'set recommender.ranker.holdout above 0 (e.g. 0.1), or use recommender.exploration.features: topics' },
  { file: 'mmoe-without-hidden.yaml', line: 8, path: 'recommender.ranker.hidden', says: 'mmoe: experts need at least one hidden layer' },
  { file: 'new-epoch-cold-start.yaml', line: 8, path: 'recommender.two_tower.train_on', says: 'train_on: new_epoch needs warm_start: true' },
  { file: 'rescoring-policy-with-mmr.yaml', line: 7, path: 'recommender.rerank.mmr_lambda', says: "thompson orders the slate by its own posterior draws, so the re-ranker's MMR order (mmr_lambda: 0.2) would be discarded" },
  { file: 'rescoring-policy-with-fresh-boost.yaml', line: 6, path: 'recommender.rerank.fresh_boost', says: 'set recommender.rerank.fresh_boost to 0, or explore with greedy or epsilon_greedy' },
  { file: 'batch-window-not-divisor.yaml', line: 7, path: 'schedule.batch_window', says: 'does not divide recommender.retrain.every (1d) evenly, so a batch would straddle a retrain' },
  { file: 'horizon-shorter-than-retrain.yaml', line: 4, path: 'horizon.days', says: 'set horizon.days to at least 7' },
  { file: 'retrain-window-too-short.yaml', line: 8, path: 'recommender.retrain.window', says: 'set recommender.retrain.window to at least 2d' },
];

async function scenarioError(load: () => Promise<unknown>): Promise<ScenarioError> {
  try {
    await load();
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return error as ScenarioError;
  }
  throw new Error('expected the scenario to be rejected');
}

function expectReadable(error: ScenarioError): void {
  for (const text of [error.message, ...error.problems.map((p) => p.message)]) {
    expect(text).not.toContain('    at ');
    expect(text).not.toMatch(/zod/i);
    expect(text).not.toContain('Invalid input');
  }
}

describe('bad scenario files', () => {
  it('has at least 18 cases', () => {
    expect(rows.length).toBeGreaterThanOrEqual(18);
  });

  it.each(rows)('$file: line $line, $path', async ({ file, line, path, says }) => {
    const fixture = join(BAD, file);
    const error = await scenarioError(() => loadScenario(fixture));
    expect(error.message).toContain(`${fixture}:${line}`);
    expect(error.message).toContain(path);
    expect(error.message).toContain(says);
    expectReadable(error);

    const problem = error.problems.find((p) => p.message.includes(says));
    expect(problem).toBeDefined();
    expect(problem?.file).toBe(fixture);
    expect(problem?.line).toBe(line);
    expect(problem?.column).toBeGreaterThanOrEqual(1);
    expect(problem?.path).toBe(path);
  });
});

describe('error reporting', () => {
  const BASE = 'name: t\nhorizon: { days: 3 }\nrecommender: { kind: popularity }\n';

  it('reports every problem, one per line, sorted by line', () => {
    const text = [
      'recommender:', //                         1
      '  kind: popularity', //                   2
      '  slate_size: 0', //                      3
      'name: t', //                              4
      'world:', //                               5
      '  users: { count: -1, cout: 2 }', //      6
      '  choice: { position_bias: 2 }', //       7
    ].join('\n');
    let error: unknown;
    try {
      parseScenario(text, 'many.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const { problems, message } = error as ScenarioError;
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [1, 'horizon'],
      [3, 'recommender.slate_size'],
      [6, 'world.users.count'],
      [6, 'world.users.cout'],
      [7, 'world.choice.position_bias'],
    ]);
    const lines = message.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('many.yaml:1:1: horizon: missing required key "horizon"');
    expect(lines[1]).toBe('many.yaml:3:15: recommender.slate_size: expected a whole number of 1 or more, found 0');
    expect(lines[3]).toMatch(/^many\.yaml:6:23: world\.users\.cout: unknown key "cout" .*did you mean "count"\?$/);
    expectReadable(error as ScenarioError);
  });

  it('formats each problem as file:line:column: path: message', () => {
    let error: unknown;
    try {
      parseScenario(`${BASE}seed: lots\n`, 'scenarios/x.yaml');
    } catch (e) {
      error = e;
    }
    expect((error as ScenarioError).message).toBe('scenarios/x.yaml:4:7: seed: expected a number, found the string "lots"');
    expect((error as ScenarioError).problems).toEqual([
      { file: 'scenarios/x.yaml', line: 4, column: 7, path: 'seed', message: 'expected a number, found the string "lots"' },
    ]);
  });

  it('names a missing file', async () => {
    const file = join(BAD, 'does-not-exist.yaml');
    const error = await scenarioError(() => loadScenario(file));
    expect(error.message).toBe(`${file}: cannot read the scenario file: no such file`);
    expect(error.problems[0].file).toBe(file);
    expectReadable(error);
  });

  it('names a directory given as the file', async () => {
    const error = await scenarioError(() => loadScenario(BAD));
    expect(error.message).toContain(`${BAD}: cannot read the scenario file`);
  });

  it('puts a missing key under an empty mapping at that mapping', () => {
    expect(() => parseScenario('name: t\nhorizon: {}\nrecommender: { kind: random }\n', 'f.yaml')).toThrow(
      'f.yaml:2:1: horizon.days: missing required key "days"',
    );
  });

  it('says what an empty value is', () => {
    expect(() => parseScenario('name: t\nhorizon:\nrecommender: { kind: random }\n', 'f.yaml')).toThrow(
      'f.yaml:2:1: horizon: expected a mapping, found an empty value',
    );
  });

  it('says which kinds a mapping must have when given something else', () => {
    expect(() => parseScenario('name: t\nhorizon: { days: 3 }\nrecommender: popularity\n', 'f.yaml')).toThrow(
      'f.yaml:3:14: recommender: expected a mapping with kind: random, popularity, oracle, bandit, two_stage or module, found the string "popularity"',
    );
  });

  it('reports several consistency problems together', () => {
    const text = `name: t\nhorizon: { days: 1 }\nschedule: { kind: steps, step: 2d }\nrecommender:\n  kind: random\n  retrain: { every: 3d, window: 1d }\n`;
    let error: unknown;
    try {
      parseScenario(text, 'c.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems.map((p) => p.path)).toEqual([
      'horizon.days',
      'recommender.retrain.every',
      'recommender.retrain.window',
    ]);
  });
});
