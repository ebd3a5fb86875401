/**
 * Fuzzed scenarios: the shipped scenarios mutated into (mostly) invalid ones, thousands of
 * cases through validation, each ending in a valid scenario or a clean ScenarioError: one line
 * per problem naming the file (with line and column, or the `--set` responsible) and, past the
 * document's shape, the field; never another exception or a stack trace. A valid mutant's
 * resource estimate is computed too (it must not throw). A few tiny valid mutants run end to end.
 */
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseAnyScenario, parseScenario, ScenarioError } from '../src/scenario/index.js';
import { estimateRun } from '../src/run/resource-estimate.js';
import { resourceRefusal } from '../src/run/resource-check.js';
import { runScenario } from '../src/run/run-scenario.js';
import { mutate, mutationArb, pathsOf, type Plain } from './support/scenario-mutations.js';
import { tempDir } from './support/scenarios.js';

const FILE = 'fuzz.yaml';
const SHIPPED = readdirSync('scenarios')
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => {
    const text = readFileSync(join('scenarios', name), 'utf8');
    return { text, data: parse(text) as Plain };
  });

/** Problems about the document's shape (syntax, the top level, keys) have no field to name. */
const SHAPE_PROBLEM = /^(invalid YAML|expected a scenario mapping|file is empty|expected a plain key name|unknown alias|cannot expand|cannot read the value|the key path|no "="|".*" is not a key path)/;

/** Validates; returns 'valid' or 'error', and fails the property on anything but a clean ScenarioError. */
function validateCleanly(text: string, overrides: readonly string[] = []): 'valid' | 'error' {
  try {
    const scenario = parseAnyScenario(text, FILE, overrides);
    resourceRefusal(estimateRun(scenario), { totalBytes: 8 * 2 ** 30, heapLimitBytes: 4 * 2 ** 30 });
    return 'valid';
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw new Error(`not a clean validation error: ${String(error)}\n--- scenario\n${text}\n--- overrides ${overrides.join(' ')}`);
    expect(error.message).not.toMatch(/\n\s+at |\[object |undefined/);
    for (const problem of error.problems) {
      const line = error.message.split('\n').find((shown) => shown.includes(problem.message.replace(/\s*\n\s*/g, ' ').trim()));
      expect(line, error.message).toMatch(problem.override !== undefined ? /^--set .+?: / : /^fuzz\.yaml(:\d+:\d+)?: /);
      if (problem.override === undefined && !SHAPE_PROBLEM.test(problem.message)) expect(problem.path, problem.message).not.toBe('');
      if (problem.override === undefined && problem.path !== '') expect(problem.line, `${problem.path}: ${problem.message}`).toBeGreaterThan(0);
    }
    return 'error';
  }
}

describe('mutated scenarios through validation', () => {
  it('each of 2,000 mutants of the shipped scenarios is valid or a clean error with file, line and field', () => {
    const seen = { valid: 0, error: 0 };
    fc.assert(
      fc.property(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (pick, mutations) => {
        const source = SHIPPED[pick % SHIPPED.length];
        let text = source.text;
        for (const mutation of mutations) {
          let data: Plain;
          try {
            data = parse(text, { logLevel: 'silent' }) as Plain;
          } catch {
            data = source.data;
          }
          text = mutate(text, data, mutation);
        }
        seen[validateCleanly(text)]++;
      }),
      { numRuns: 2000, seed: 13 },
    );
    // Both outcomes occur: the mutations neither all break nor all keep a scenario.
    expect(seen.error).toBeGreaterThan(1000);
    expect(seen.valid).toBeGreaterThan(20);
  }, 120_000);

  it('each of 1,000 bad --set overrides on the shipped scenarios is valid or a clean error naming the --set', () => {
    const values = ['abc', '-1', '0', '1e400', '.nan', '.inf', '-.inf', '[1, 2]', '{a: 1}', '{kind: bogus}', 'null', '', '1d', '99999999999999999999', '"x', '[', '2w', '!!binary abcd', '1e12'];
    const prefixes = ['', '__proto__.', 'constructor.', 'world.__proto__.'];
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.constantFrom(...values), fc.constantFrom(...prefixes), (pick, at, value, prefix) => {
        const source = SHIPPED[pick % SHIPPED.length];
        const paths = pathsOf(source.data).filter((path) => path.length > 0 && path.every((segment) => typeof segment === 'string'));
        validateCleanly(source.text, [`${prefix}${paths[at % paths.length].join('.')}=${value}`]);
      }),
      { numRuns: 1000, seed: 17 },
    );
  }, 120_000);
});

const TINY = `
name: tiny
seed: 5
horizon: { days: 2 }
schedule: { kind: continuous, batch_window: 1m }
world:
  topics: 4
  latent_dim: 3
  users: { count: 40, signups_per_day: 5 }
  items: { count: 50, uploads_per_day: 5, creators: 5 }
recommender:
  kind: popularity
  slate_size: 4
  random_startup: 0.5d
  retrain: { every: 0.5d, window: 1d }
logs: { impressions: true }
`;

/** Bounded changes that keep a run tiny; some make it invalid (a slate larger than a catalog that never grows). */
const tinyOverrides = fc.record({
  kind: fc.constantFrom('popularity', 'random', 'oracle'),
  slate: fc.integer({ min: 1, max: 8 }),
  topics: fc.integer({ min: 1, max: 6 }),
  users: fc.integer({ min: 0, max: 60 }),
  signups: fc.integer({ min: 0, max: 10 }),
  items: fc.integer({ min: 0, max: 60 }),
  uploads: fc.integer({ min: 0, max: 10 }),
  days: fc.constantFrom(0.5, 1, 2),
  steps: fc.boolean(),
  cascade: fc.boolean(),
});

describe('tiny valid mutants run end to end', () => {
  it('each either fails validation cleanly or runs to the end with finite metrics in every file', async () => {
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(tinyOverrides, async (o) => {
        const overrides = [
          `recommender.kind=${o.kind}`,
          `recommender.slate_size=${o.slate}`,
          `world.topics=${o.topics}`,
          `world.users.count=${o.users}`,
          `world.users.signups_per_day=${o.signups}`,
          `world.items.count=${o.items}`,
          `world.items.uploads_per_day=${o.uploads}`,
          `horizon.days=${o.days}`,
          ...(o.steps ? ['schedule={kind: steps, step: 0.25d}'] : []),
          ...(o.cascade ? ['world.choice={model: cascade}'] : []),
        ];
        let scenario;
        try {
          scenario = parseScenario(TINY, FILE, overrides);
        } catch (error) {
          expect(error).toBeInstanceOf(ScenarioError);
          return;
        }
        const outDir = join(tempDir(), 'run');
        const outcome = await runScenario(scenario, { outDir });
        ran++;
        expect(outcome.rows.length).toBeGreaterThan(0);
        // JSON writes NaN as null: the metrics rows hold none; the summary's means are null by design where a metric is defined in no epoch.
        expect(readFileSync(join(outDir, 'metrics.jsonl'), 'utf8')).not.toMatch(/NaN|Infinity|null/);
        expect(readFileSync(join(outDir, 'summary.json'), 'utf8')).not.toMatch(/NaN|Infinity/);
      }),
      { numRuns: 12, seed: 23 },
    );
    expect(ran).toBeGreaterThan(3);
  }, 120_000);
});

describe('what the fuzzing found, each now a clean one-line error', () => {
  const OK = 'name: x\nhorizon: { days: 1 }\nrecommender: { kind: random }\n';
  const problem = (text: string, overrides: readonly string[] = []): string => {
    try {
      parseAnyScenario(text, FILE, overrides);
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      return (error as ScenarioError).message;
    }
    throw new Error('expected a validation error');
  };

  it('a --set path through __proto__ or constructor is an unknown key, not a TypeError', () => {
    expect(problem(OK, ['world.__proto__.polluted=1'])).toMatch(/^--set world\.__proto__\.polluted: world\.__proto__: unknown key "__proto__" \(expected one of: kind, /);
    expect(problem(OK, ['constructor.prototype.x=1'])).toMatch(/^--set constructor\.prototype\.x: constructor: unknown key "constructor"/);
  });

  it('a !!binary key is not a plain key name (and the YAML library prints no warning)', () => {
    expect(problem(`${OK}!!binary abcd: 1\n`, ['seed=2'])).toBe(`${FILE}:4:10: expected a plain key name, found binary data (a !!binary value) used as a key`);
  });

  it('tagged values are named as what they are, and refused in a --set', () => {
    expect(problem(OK.replace('random }', 'random, slate_size: !!binary abcd }'))).toBe(`${FILE}:3:51: recommender.slate_size: expected a number, found binary data (a !!binary value)`);
    expect(problem(OK, ['world=!!binary abcd'])).toBe('--set world=!!binary abcd: cannot use the value "!!binary abcd": a tagged value such as !!binary or !!timestamp is not a scenario value');
  });

  it('a whole number too large to hold exactly says so', () => {
    expect(problem(OK, ['seed=9007199254740993'])).toBe('--set seed: expected a whole number of at most 9,007,199,254,740,991 in size, found 9007199254740992');
  });

  it('thousands of levels of nesting is "nested too deeply"', () => {
    expect(problem(`name: x\nworld: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`)).toMatch(/^fuzz\.yaml:2:\d+: invalid YAML: nested too deeply/);
  });

  it('sign-ups near the largest number give a refusal, not an estimate of NaN', () => {
    const scenario = parseScenario(TINY, FILE, ['world.users.signups_per_day=1e308', 'horizon.days=10']);
    expect(resourceRefusal(estimateRun(scenario), { totalBytes: 2 ** 40, heapLimitBytes: 2 ** 40 })).toBe(
      "needs more memory than can be counted (mostly for countless users), more than this machine's 1.0 TiB; make the scenario smaller",
    );
  });
});
