/**
 * The recommender registry: every `recommender.kind`, declared in its own file (component.ts
 * says what a declaration holds). The scenario's `recommender` union, the list of kinds, the
 * checks across fields and the builder are derived from it, so a new recommender is its file
 * plus one line here. A user's own kind (`kind: module, path: ./file.ts`) is declared the same
 * way in their file, loaded with the scenario (src/plugins) and built here like a built-in one.
 */
import { z } from 'zod';
import { MODULE, moduleEntry, PluginSlot, pluginConfig } from '../settings/module-entry.js';
import type { ConsistencyProblem } from '../settings/problem.js';
import type { TruthOracle } from '../world/world.js';
import type { RecommenderComponent } from './component.js';
import { BANDIT_RECOMMENDER } from './kinds/bandit.js';
import { ORACLE_RECOMMENDER } from './kinds/oracle.js';
import { POPULARITY_RECOMMENDER } from './kinds/popularity.js';
import { RANDOM_RECOMMENDER } from './kinds/random.js';
import { RandomRecommender } from './random-recommender.js';
import { COMMON_SETTINGS } from './settings.js';
import { RandomStartup } from './startup.js';
import { componentSchemas } from './tagged-component.js';
import { TWO_STAGE_RECOMMENDER } from './two-stage/component.js';
import type { Recommender, RecommenderContext } from './types.js';

const RECOMMENDERS = [RANDOM_RECOMMENDER, POPULARITY_RECOMMENDER, ORACLE_RECOMMENDER, BANDIT_RECOMMENDER, TWO_STAGE_RECOMMENDER] as const;

export const RECOMMENDER_KINDS: readonly string[] = RECOMMENDERS.map((r) => r.name);

/** Recommenders from users' own files (`kind: module`), loaded with the scenario (src/plugins). */
export const RECOMMENDER_PLUGINS = new PluginSlot<RecommenderComponent>('recommender');

/** The scenario's `recommender` section: one option per kind, and one for a kind from a file (with the shared fields, which the rest of a run reads). */
export const recommender = z.discriminatedUnion('kind', [...componentSchemas(RECOMMENDERS), moduleEntry('kind', COMMON_SETTINGS)], {
  error: `expected kind: ${RECOMMENDER_KINDS.join(', ')} or ${MODULE} (with path: a file of your own)`,
});

export type RecommenderConfig = z.output<typeof recommender>;

function declared(kind: string): RecommenderComponent {
  const component: RecommenderComponent | undefined = RECOMMENDERS.find((r) => r.name === kind);
  if (!component) throw new Error(`no recommender kind is named ${kind}`);
  return component;
}

/**
 * Whether the kind has a learned ranker, whose last layer an exploration policy may regress on.
 * A kind from a file has none an exploration policy can reach (it builds its own recommender).
 */
export function hasRanker(kind: string): boolean {
  return kind !== MODULE && declared(kind).ranker;
}

/** The kind's own checks across the fields of a `recommender` section that passed the schema; a plug-in's run when it is loaded (src/plugins/kinds.ts). */
export function checkRecommender(config: RecommenderConfig): ConsistencyProblem[] {
  return config.kind === MODULE ? [] : declared(config.kind).check(config);
}

/** What a kind from a file is given in place of the truth: only the oracle may ask for it. */
function refuseTruth(name: string): () => TruthOracle {
  return () => {
    throw new Error(`the recommender plug-in ${name} asked for the world's truth, which only kind: oracle is given`);
  };
}

/**
 * The recommender a scenario asks for, behind uniformly random slates for `random_startup`
 * days when it asks for them. `oracleTruth` is called only when the scenario asks for the oracle.
 */
export function buildRecommender(config: RecommenderConfig, ctx: RecommenderContext, oracleTruth: () => TruthOracle): Recommender {
  const recommender = config.kind === MODULE ? buildPlugin(config.path, config, ctx) : declared(config.kind).build(config, { ...ctx, oracleTruth });
  if (config.random_startup <= 0) return recommender;
  const random = new RandomRecommender(ctx.catalog, ctx.slateSize, ctx.streams.keyed('random-startup'), 'random-startup');
  return new RandomStartup(recommender, random, config.random_startup);
}

/** A kind from a file, built from its settings with what every built-in kind is given, never the truth. */
function buildPlugin(path: string, config: RecommenderConfig, ctx: RecommenderContext): Recommender {
  const plugin = RECOMMENDER_PLUGINS.get(path);
  return plugin.build(pluginConfig(config, 'kind', plugin.name), { ...ctx, oracleTruth: refuseTruth(plugin.name) });
}
