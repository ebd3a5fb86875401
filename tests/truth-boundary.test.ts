/**
 * Ground truth stays on the world's side. Statically, recommender code may import only the
 * world's public types (the oracle, by name, is the one exception); dynamically, nothing a
 * recommender is handed during a run (its context, the requests, the feedback passed to observe(),
 * the log window) carries a ground-truth field, for the baselines and the two-stage pipeline alike.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePlugins } from '../src/plugins/resolve.js';
import { buildRecommender } from '../src/recommender/baselines.js';
import { resolveScenario } from '../src/scenario/index.js';
import type { Recommender } from '../src/recommender/types.js';
import { buildParts, buildPartsWith } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';
import { handedToPlugins } from './fixtures/plugins/handed.js';
import { SMALL_SCENARIO, smallScenario } from './support/scenarios.js';

const RECOMMENDER_DIR = join(import.meta.dirname, '..', 'src', 'recommender');
/**
 * The only recommender files allowed to name the world's truth interface: the oracle ranker, and
 * the builder that hands it to the oracle kind alone (registry.ts, through component.ts's context).
 */
const ORACLE_FILES = new Set(['ranking/oracle.ts', 'registry.ts', 'component.ts']);
const TRUTH_FIELDS = [
  'quality',
  'appeal',
  'topicIds',
  'topicMix',
  'topicNorm',
  'clickbait',
  'latent',
  'topicPrefs',
  'topicWeights',
  'satiation',
  'trueUtility',
  'affinity',
  'satisfaction',
  'patience',
  'churned',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every own key reachable from `root` (objects, arrays, maps, sets), depth-first. */
function reachableKeys(root: unknown, seen = new Set<unknown>(), keys = new Set<string>()): Set<string> {
  if (root === null || typeof root !== 'object' || seen.has(root)) return keys;
  seen.add(root);
  if (ArrayBuffer.isView(root)) return keys;
  const children: unknown[] = [];
  if (root instanceof Map) for (const [k, v] of root) children.push(k, v);
  else if (root instanceof Set) for (const v of root) children.push(v);
  for (const key of Object.getOwnPropertyNames(root)) {
    keys.add(key);
    children.push((root as Record<string, unknown>)[key]);
  }
  for (const child of children) reachableKeys(child, seen, keys);
  return keys;
}

describe('the recommender cannot read ground truth', () => {
  it('imports from the world only its public types (the oracle excepted, by name)', () => {
    for (const file of sourceFiles(RECOMMENDER_DIR)) {
      const name = relative(RECOMMENDER_DIR, file);
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const path of imports.filter((p) => p.includes('/world/'))) {
        if (path.endsWith('/world/public.js')) continue;
        expect(ORACLE_FILES.has(name), `${name} imports ${path}`).toBe(true);
        expect(path.endsWith('/world/world.js'), `${name} imports ${path}`).toBe(true);
      }
    }
  });

  it.each([
    ['popularity', []],
    ['random', []],
    ['two_stage', ['recommender.exploration={policy: thompson, mc_draws: 20}', 'recommender.two_tower={epochs: 1}', 'recommender.ranker={epochs: 1, hidden: [8]}']],
  ])('%s sees no truth field in anything it is given, the feedback passed to observe() included', async (kind, extra) => {
    const scenario = smallScenario([`recommender.kind=${kind}`, 'horizon.days=2', 'logs.impressions=false', ...extra]);
    const handed: unknown[] = [];
    let observed = 0;
    const sim = new Simulation(
      buildPartsWith(scenario, (ctx) => {
        handed.push(ctx);
        const inner = buildRecommender(scenario.recommender, ctx, () => {
          throw new Error('only the oracle may ask for the truth');
        });
        const spy: Recommender = {
          name: inner.name,
          serve: (requests) => {
            handed.push(requests);
            return inner.serve(requests);
          },
          observe: (feedback) => {
            handed.push(feedback);
            observed++;
            inner.observe?.(feedback);
          },
          retrain: (log, now) => {
            handed.push(log, now);
            return inner.retrain(log, now);
          },
        };
        return spy;
      }),
    );
    await sim.run();
    const keys = reachableKeys(handed);
    expect(keys.has('slateId')).toBe(true); // the scan does reach requests
    expect(keys.has('creatorId')).toBe(true); // and the public catalog
    expect(observed).toBeGreaterThan(1000);
    expect(keys.has('watchFraction')).toBe(true); // and the feedback (the log's column is watch_fraction)
    for (const field of TRUTH_FIELDS) expect(keys.has(field), `recommender was handed "${field}"`).toBe(false);
  });

  it('a plug-in source and policy see no truth field in anything they are given', async () => {
    // The scenario sits beside the spy plug-ins, so their relative paths resolve there.
    const file = join(import.meta.dirname, 'fixtures', 'plugins', 'scenario.yaml');
    const scenario = await resolveScenario(
      SMALL_SCENARIO,
      file,
      [
        'horizon.days=2',
        'logs.impressions=false',
        'recommender={kind: two_stage, slate_size: 5, random_startup: 1d, candidates: [{source: popularity}, {source: module, path: ./spy-source.ts}], exploration: {policy: module, path: ./spy-policy.ts}, ranker: {epochs: 1, hidden: [8]}}',
      ],
      { resolve: resolvePlugins },
    );
    const handed = handedToPlugins();
    handed.length = 0;
    await new Simulation(buildParts(scenario)).run();
    const keys = reachableKeys(handed);
    expect(keys.has('slateId')).toBe(true); // the scan reaches the requests
    expect(keys.has('creatorId')).toBe(true); // the public catalog, through the context
    expect(keys.has('watchFraction')).toBe(true); // the feedback
    expect(keys.has('sourceScore')).toBe(true); // the ranked candidates the policy chooses from
    for (const field of TRUTH_FIELDS) expect(keys.has(field), `a plug-in was handed "${field}"`).toBe(false);
  });

  it('a plug-in recommender sees no truth field in anything it is given, and cannot ask for the truth', async () => {
    const file = join(import.meta.dirname, 'fixtures', 'plugins', 'scenario.yaml');
    const load = (extra: string) =>
      resolveScenario(SMALL_SCENARIO, file, ['horizon.days=2', 'logs.impressions=false', `recommender={kind: module, path: ./spy-recommender.ts, slate_size: 5, random_startup: 1d${extra}}`], {
        resolve: resolvePlugins,
      });
    const handed = handedToPlugins();
    handed.length = 0;
    await new Simulation(buildParts(await load(''))).run();
    const keys = reachableKeys(handed);
    expect(keys.has('slateId')).toBe(true); // the scan reaches the requests
    expect(keys.has('creatorId')).toBe(true); // the public catalog, through the context
    expect(keys.has('watchFraction')).toBe(true); // the feedback
    expect(keys.has('windowDays')).toBe(true); // the log window
    for (const field of TRUTH_FIELDS) expect(keys.has(field), `a plug-in recommender was handed "${field}"`).toBe(false);
    // The context's oracleTruth is there (the same type as the built-ins'), but refuses a plug-in.
    const asking = await load(', ask_truth: true');
    expect(() => buildParts(asking)).toThrow("the recommender plug-in spy asked for the world's truth, which only kind: oracle is given");
  });

  it('the truth check itself catches a leak', () => {
    expect(reachableKeys([{ a: new Map([[1, { quality: 0.3 }]]) }]).has('quality')).toBe(true);
  });
});
