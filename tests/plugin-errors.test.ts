/**
 * What goes wrong with a plug-in is reported like any scenario problem: file:line:column of the
 * entry's field, its key path, and what was expected, without a stack trace, every problem at
 * once, before anything is written. Each failure of loading is covered: a missing file, a file
 * of another type, one that does not compile or throws when imported, one without a default
 * export, one whose export is not a component of the entry's kind, options its own schema
 * refuses, a recommender's own check across fields, a policy that reorders the slate against
 * the re-ranker's MMR (known only once its file is loaded), and a metric family that declares a
 * built-in metric's name again.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './support/run-cli.js';
import { tempDir } from './support/scenarios.js';

const API = pathToFileURL(join(import.meta.dirname, '..', 'src', 'plugins', 'api.js')).href;
const EXAMPLES = join(import.meta.dirname, '..', 'examples', 'plugins');

const BASE = `name: broken
horizon: { days: 1 }
world: { users: { count: 50 }, items: { count: 60 } }
recommender:
  kind: popularity
  exploration:
    policy: module
    path: POLICY
`;

/** A folder with the scenario (its text with POLICY replaced) and the given files; returns the scenario's path. */
function folder(scenario: string, files: Readonly<Record<string, string>> = {}, policy = './policy.ts'): string {
  const dir = tempDir('recloop-plugin-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, scenario.replace('POLICY', policy));
  return file;
}

async function problems(file: string): Promise<string> {
  const { code, err } = await cli(['validate', file]);
  expect(code).toBe(2);
  expect(err).not.toMatch(/\n\s+at /); // no stack trace
  return err;
}

const GOOD_POLICY = `import { explorationPolicy, positiveCount, slateStage } from '${API}';
export default explorationPolicy({
  name: 'first_k',
  settings: { pool: positiveCount.default(4) },
  reorders: null,
  build: () => slateStage({ name: 'first_k', select: (_r, ordered, size) => ordered.slice(0, size).map((c) => ({ itemId: c.itemId, source: 'x', propensity: 1 })) }),
});
`;

describe('plug-in problems name the file, line and field', () => {
  it('a file that is not there', async () => {
    const file = folder(BASE, {}, './nowhere.ts');
    expect(await problems(file)).toContain(`${file}:8:11: recommender.exploration.path: cannot load the exploration policy ./nowhere.ts (${join(file, '..', 'nowhere.ts')}): no such file`);
  });

  it('a file that is not TypeScript or JavaScript', async () => {
    const file = folder(BASE, { 'policy.yaml': 'a: 1\n' }, './policy.yaml');
    expect(await problems(file)).toContain(`${file}:8:11: recommender.exploration.path: expected a TypeScript or JavaScript file (.ts, .mts, .cts, .js, .mjs, .cjs), got ./policy.yaml`);
  });

  it('a file that does not compile, and one that throws when imported', async () => {
    const broken = folder(BASE, { 'policy.ts': 'export default explorationPolicy({ name: \n' });
    expect(await problems(broken)).toMatch(new RegExp(`${broken}:8:11: recommender\\.exploration\\.path: cannot load the exploration policy \\./policy\\.ts \\(.*\\): Transform failed`));
    const throwing = folder(BASE, { 'policy.mjs': "throw new Error('no licence for this policy');\n" }, './policy.mjs');
    expect(await problems(throwing)).toContain(': no licence for this policy');
  });

  it('a file without a default export, and one whose export is not a component of the kind', async () => {
    const none = folder(BASE, { 'policy.ts': 'export const policy = 1;\n' });
    expect(await problems(none)).toContain(`${none}:8:11: recommender.exploration.path: ./policy.ts (${join(none, '..', 'policy.ts')}) has no default export; expected export default explorationPolicy({ name, settings, reorders, build })`);
    const other = folder(BASE, { 'policy.ts': "export default { name: 'mine', build: 3 };\n" });
    expect(await problems(other)).toContain(
      'does not export an exploration policy (schema is not a zod object schema, build is not a function, reorders is not a string or null); expected export default explorationPolicy(',
    );
  });

  it("options the plug-in's own schema refuses, at their own lines, all at once", async () => {
    const file = folder(`${BASE}    pool: 0\n    poool: 3\n`, { 'policy.ts': GOOD_POLICY });
    const err = await problems(file);
    expect(err).toContain(`${file}:9:11: recommender.exploration.pool: expected a whole number of 1 or more`);
    expect(err).toContain(`${file}:10:5: recommender.exploration.poool: unknown key "poool" (expected one of: policy, pool); did you mean "pool"?`);
  });

  it('a user model and a candidate source are checked by the same rules', async () => {
    const scenario = `name: broken
horizon: { days: 1 }
world:
  users:
    kind: module
    path: ${join(EXAMPLES, 'my-user-model.ts')}
    slates_per_session: 0
recommender:
  kind: two_stage
  candidates:
    - { source: popularity }
    - { source: module, path: ./source.js }
`;
    const file = folder(scenario, { 'source.js': "export default { name: 'mine', schema: {}, build() {} };\n" });
    const err = await problems(file);
    expect(err).toContain(`${file}:7:25: world.users.slates_per_session: expected a whole number of 1 or more`);
    expect(err).toContain(`${file}:12:31: recommender.candidates[1].path: ./source.js (${join(file, '..', 'source.js')}) does not export a candidate source (schema is not a zod object schema)`);
  });

  it('a recommender: an export of another kind, settings its schema refuses, and its own check across fields', async () => {
    const base = (path: string, settings: string) => `name: broken\nhorizon: { days: 1 }\nworld: { users: { count: 50 }, items: { count: 60 } }\nrecommender:\n  kind: module\n  path: ${path}\n${settings}`;
    const other = folder(base(join(EXAMPLES, 'my-source.ts'), ''));
    expect(await problems(other)).toContain(
      `${other}:6:9: recommender.path: ${join(EXAMPLES, 'my-source.ts')} does not export a recommender (ranker is not true or false, check is not a function); expected export default recommenderKind({ name, settings, ranker, check, build })`,
    );
    const mine = join(EXAMPLES, 'my-recommender.ts');
    const refused = folder(base(mine, '  window: 0\n  windw: 3\n'));
    const err = await problems(refused);
    expect(err).toContain(`${refused}:7:11: recommender.window: expected a duration above zero, found 0`);
    expect(err).toContain(`${refused}:8:3: recommender.windw: unknown key "windw" (expected one of: kind, slate_size, retrain, random_startup, exploration, latency_budget_ms, window); did you mean "window"?`);
    // The shared fields are checked as for a built-in kind.
    const shared = folder(base(mine, '  slate_size: 0\n'));
    expect(await problems(shared)).toContain(`${shared}:7:15: recommender.slate_size: expected a whole number of 1 or more, found 0`);
    // Its check reads its own field and a shared one, with their defaults filled.
    const crossed = folder(base(mine, '  window: 20d\n'));
    expect(await problems(crossed)).toContain(
      `${crossed}:7:11: recommender.window: window (20 days) is longer than recommender.retrain.window (14 days), which is all the log a retrain sees`,
    );
  });

  it("an experiment arm: switching to a recommender file is refused, varying the scenario's own is checked by its schema", async () => {
    const mine = join(EXAMPLES, 'my-recommender.ts');
    const arms = (recommender: string, arm: string) =>
      `name: c\nhorizon: { days: 2 }\nrecommender: ${recommender}\nexperiment:\n  control: a\n  arms:\n    a: {}\n    b: ${arm}\n`;
    const file = folder(arms('{ kind: popularity }', `{ kind: module, path: ${mine} }`));
    expect(await problems(file)).toContain(
      `${file}:8:30: experiment.arms.b.path: arm "b": a recommender from a file is loaded only as the scenario's recommender; make it recommender (kind: module, path: ...) and vary its settings in the arms`,
    );
    const varied = folder(arms(`{ kind: module, path: ${mine} }`, '{ window: 1d, slate_size: 5 }'));
    expect((await cli(['validate', varied])).code).toBe(0);
    // An arm may name the scenario's file again, as written; the resolved scenario names it by its absolute path in both.
    const copy = folder(arms('{ kind: module, path: ./mine.ts }', '{ kind: module, path: ./mine.ts, window: 1d }'), { 'mine.ts': readFileSync(mine, 'utf8').replace("'../../src/plugins/api.js'", `'${API}'`) });
    const repeated = await cli(['validate', copy, '--print']);
    expect(repeated.code).toBe(0);
    expect(repeated.out.split(`path: ${join(copy, '..', 'mine.ts')}\n`)).toHaveLength(3);
    // An arm's settings are the plug-in's too, checked with its schema at the arm's own line.
    const refused = folder(arms(`{ kind: module, path: ${mine} }`, '{ window: 0 }'));
    expect(await problems(refused)).toContain(`${refused}:8:18: experiment.arms.b.window: expected a duration above zero, found 0`);
  });

  it('a metric family that declares a metric already declared', async () => {
    const family = `import { metricFamily } from '${API}';
export default metricFamily({
  metrics: { ctr: { label: 'Mine', unit: 'x', format: 'number', description: 'x', better: null, defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: null, headline: false } },
  patterns: [],
  settings: {},
  create: null,
});
`;
    const file = folder('name: m\nhorizon: { days: 1 }\nrecommender: { kind: random }\nmetrics:\n  plugins:\n    - { family: module, path: ./family.ts }\n', { 'family.ts': family });
    expect(await problems(file)).toContain(`${file}:6:7: metrics.plugins[0]: the metric family ./family.ts (${join(file, '..', 'family.ts')}) declares metrics that are already declared: ctr`);
  });

  it("a policy from a file that reorders the slate is refused with the re-ranker's MMR, as a built-in one is, before anything is written", async () => {
    const reordering = GOOD_POLICY.replace('reorders: null', "reorders: 'its own coin flips'");
    const twoStage = (rerank: string) => `name: reorders
horizon: { days: 1 }
world: { users: { count: 50 }, items: { count: 60, creators: 10 } }
recommender:
  kind: two_stage
  slate_size: 3
  candidates: [{ source: popularity, k: 10 }]
  ranker: { epochs: 1, hidden: [4] }
  exploration:
    policy: module
    path: ./policy.ts
${rerank}`;
    const file = folder(twoStage('  rerank: { mmr_lambda: 0.3 }\n'), { 'policy.ts': reordering });
    const out = join(file, '..', 'run');
    const { code, err } = await cli(['run', file, '--out', out]);
    expect(code).toBe(2);
    expect(err).toContain(
      `${file}:12:25: recommender.rerank.mmr_lambda: exploration policy first_k (${join(file, '..', 'policy.ts')}) orders the slate by its own coin flips, so the re-ranker's MMR order (mmr_lambda: 0.3) would be discarded`,
    );
    expect(err).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    // An experiment arm that turns MMR on under the scenario's policy is refused at the arm's line.
    const arm = folder(twoStage('experiment:\n  control: a\n  arms:\n    a: {}\n    b: { rerank: { mmr_lambda: 0.2 } }\n'), { 'policy.ts': reordering });
    expect(await problems(arm)).toContain(`${arm}:16:32: experiment.arms.b.rerank.mmr_lambda: arm "b": exploration policy first_k`);
    // Without MMR it runs; so does the same policy declaring it keeps the re-ranked order, with MMR.
    const plain = folder(twoStage(''), { 'policy.ts': reordering });
    expect((await cli(['run', plain, '--out', join(plain, '..', 'run')])).code).toBe(0);
    const keeping = folder(twoStage('  rerank: { mmr_lambda: 0.3 }\n'), { 'policy.ts': GOOD_POLICY });
    expect((await cli(['validate', keeping])).code).toBe(0);
  });

  it('recloop run stops before writing anything', async () => {
    const file = folder(BASE, {}, './nowhere.ts');
    const out = join(file, '..', 'run');
    const { code, err } = await cli(['run', file, '--out', out]);
    expect(code).toBe(2);
    expect(err).toContain('recommender.exploration.path: cannot load the exploration policy ./nowhere.ts');
    expect(existsSync(out)).toBe(false);
  });

  it('an absolute path loads as a relative one does, and the resolved scenario keeps it absolute with the defaults filled', async () => {
    const file = folder(BASE, {}, join(EXAMPLES, 'my-policy.ts'));
    const { code, out } = await cli(['validate', file, '--print']);
    expect(code).toBe(0);
    expect(out).toContain(`policy: module\n    path: ${join(EXAMPLES, 'my-policy.ts')}\n    pool: 10\n`);
  });
});
