/**
 * The kinds of component a scenario may take from a user's file: where in a scenario their
 * entries are, what a file must export, which schema its entry's options are checked with, and
 * the slot its registry builds from. A new kind is one more entry in PLUGIN_KINDS.
 */
import { z } from 'zod';
import type { MetricFamily } from '../metrics/declaration.js';
import { declarePluginMetrics, METRIC_PLUGINS } from '../metrics/registry.js';
import type { RecommenderComponent } from '../recommender/component.js';
import type { ExplorationComponent } from '../recommender/explore/component.js';
import { POLICY_PLUGINS } from '../recommender/explore/registry.js';
import type { CandidateSourceComponent } from '../recommender/sources/component.js';
import { RECOMMENDER_PLUGINS } from '../recommender/registry.js';
import { SOURCE_PLUGINS } from '../recommender/sources/registry.js';
import type { UserModelEntry } from '../world/user-models/user-model-entry.js';
import { USER_MODEL_PLUGINS, usersOption } from '../world/user-models/registry.js';
import type { AnyScenario } from '../scenario/index.js';
import { armRecommenderInput } from '../scenario/experiment-arms.js';
import type { KeyPath } from '../scenario/paths.js';
import { MODULE, pluginConfig, type PluginSlot } from '../settings/module-entry.js';
import type { ConsistencyProblem } from '../settings/problem.js';

/** A key path with `*` for every element of a list or every key of a mapping. */
export type PlacePattern = readonly (string | number)[];

/** A file's export taken as a component of a kind: how to check its entry's options, and how to keep it. */
export interface Adopted {
  /** The schema the entry's options (as `input` makes them) must pass; its output, tag dropped, is what the scenario keeps. */
  readonly schema: z.ZodType;
  readonly input: (entry: Readonly<Record<string, unknown>>) => Record<string, unknown>;
  /** The component's own checks across fields, on the schema's output; paths start at the scenario's root. */
  readonly check: (options: unknown) => ConsistencyProblem[];
  /** Keeps the component for its registry under the file's absolute path; returns a problem, or undefined. */
  readonly keep: (path: string) => string | undefined;
}

export interface PluginKind {
  /** As messages name it. */
  readonly what: string;
  /** How a file declares one, for messages. */
  readonly declare: string;
  /** The key whose value is `module`. */
  readonly tag: string;
  readonly places: readonly PlacePattern[];
  /** The file's default export as this kind, or why it is not one. */
  readonly adopt: (exported: unknown) => Adopted | string;
  /** Other entries made from the one found, checked with its schema too, with where their own keys are (an experiment arm's recommender). */
  readonly variants?: (scenario: AnyScenario, entry: Readonly<Record<string, unknown>>) => readonly { readonly at: KeyPath; readonly entry: Readonly<Record<string, unknown>> }[];
}

type FieldCheck = readonly [key: string, test: (value: unknown) => boolean, expected: string];

const isFunction = (value: unknown): boolean => typeof value === 'function';
const isName = (value: unknown): boolean => typeof value === 'string' && value !== '';
const isMapping = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isSchema = (value: unknown): boolean => value instanceof z.ZodObject;

/** What is missing or wrong in an export, one phrase per field. */
function shapeProblems(value: unknown, checks: readonly FieldCheck[]): string[] {
  if (!isMapping(value)) return ['it is not an object'];
  const fields = new Map(Object.entries(value));
  return checks.filter(([key, test]) => !test(fields.get(key))).map(([key, , expected]) => `${key} is not ${expected}`);
}

/** A kind whose components have the shape `checks` describe. */
function pluginKind<T>(spec: {
  readonly what: string;
  readonly declare: string;
  readonly tag: string;
  readonly places: readonly PlacePattern[];
  readonly slot: PluginSlot<T>;
  readonly checks: readonly FieldCheck[];
  readonly schema: (component: T) => z.ZodType;
  readonly input: (component: T, entry: Readonly<Record<string, unknown>>) => Record<string, unknown>;
  readonly admit?: (component: T) => string | undefined;
  readonly check?: (component: T, options: unknown) => ConsistencyProblem[];
  readonly variants?: PluginKind['variants'];
}): PluginKind {
  const { what, declare, tag, places, variants } = spec;
  // The checks stand for T: an export that passes them is taken as the kind's component.
  const has = (value: unknown): value is T => shapeProblems(value, spec.checks).length === 0;
  return {
    what,
    declare,
    tag,
    places,
    variants,
    adopt(exported) {
      const problems = shapeProblems(exported, spec.checks);
      if (problems.length > 0 || !has(exported)) return problems.join(', ');
      const component = exported;
      return {
        schema: spec.schema(component),
        input: (entry) => spec.input(component, entry),
        check: (options) => spec.check?.(component, options) ?? [],
        keep(path) {
          const refused = spec.admit?.(component);
          if (refused === undefined) spec.slot.remember(path, component);
          return refused;
        },
      };
    },
  };
}

/** The checks of a component declared with `taggedComponent` (sources, policies). */
const TAGGED: readonly FieldCheck[] = [
  ['name', isName, 'a name'],
  ['schema', isSchema, 'a zod object schema'],
  ['build', isFunction, 'a function'],
];

const SOURCE_KIND = pluginKind<CandidateSourceComponent>({
  what: 'candidate source',
  declare: 'export default candidateSource({ name, settings, build })',
  tag: 'source',
  places: [
    ['recommender', 'candidates', '*'],
    ['experiment', 'arms', '*', 'candidates', '*'],
  ],
  slot: SOURCE_PLUGINS,
  checks: TAGGED,
  schema: (component) => component.schema,
  input: (component, entry) => pluginConfig(entry, 'source', component.name),
});

const POLICY_CHECKS: readonly FieldCheck[] = [...TAGGED, ['reorders', (value) => value === null || typeof value === 'string', 'a string or null']];

const POLICY_KIND = pluginKind<ExplorationComponent>({
  what: 'exploration policy',
  declare: 'export default explorationPolicy({ name, settings, reorders, build })',
  tag: 'policy',
  places: [
    ['recommender', 'exploration'],
    ['experiment', 'arms', '*', 'exploration'],
  ],
  slot: POLICY_PLUGINS,
  checks: POLICY_CHECKS,
  schema: (component) => component.schema,
  input: (component, entry) => pluginConfig(entry, 'policy', component.name),
});

const METRIC_CHECKS: readonly FieldCheck[] = [
  ['metrics', isMapping, 'a mapping of metric declarations'],
  ['patterns', Array.isArray, 'a list'],
  ['settings', isMapping, 'a mapping of zod fields'],
  ['create', (value) => value === null || isFunction(value), 'a function or null'],
];

const METRIC_KIND = pluginKind<MetricFamily>({
  what: 'metric family',
  declare: 'export default metricFamily({ metrics, patterns, settings, create })',
  tag: 'family',
  places: [['metrics', 'plugins', '*']],
  slot: METRIC_PLUGINS,
  checks: METRIC_CHECKS,
  schema: (family) => z.strictObject(family.settings),
  input: (_family, entry) => {
    const { family: _tag, path: _path, ...settings } = entry;
    return settings;
  },
  admit: (family) => {
    const taken = declarePluginMetrics(family);
    return taken.length === 0 ? undefined : `declares metrics that are already declared: ${taken.join(', ')}`;
  },
});

const USER_MODEL_CHECKS: readonly FieldCheck[] = [
  ['name', isName, 'a name'],
  ['fields', isMapping, 'a mapping of zod fields'],
  ['build', isFunction, 'a function'],
];

const USER_MODEL_KIND = pluginKind<UserModelEntry>({
  what: 'user model',
  declare: 'export default userModel({ name, fields, build })',
  tag: 'kind',
  places: [['world', 'users']],
  slot: USER_MODEL_PLUGINS,
  checks: USER_MODEL_CHECKS,
  schema: (model) => usersOption(z.literal(model.name), model.fields),
  input: (model, entry) => pluginConfig(entry, 'kind', model.name),
});

const RECOMMENDER_CHECKS: readonly FieldCheck[] = [...TAGGED, ['ranker', (value) => typeof value === 'boolean', 'true or false'], ['check', isFunction, 'a function']];

const RECOMMENDER_KIND = pluginKind<RecommenderComponent>({
  what: 'recommender',
  declare: 'export default recommenderKind({ name, settings, ranker, check, build })',
  tag: 'kind',
  // Only the scenario's own recommender: an experiment arm's `recommender` overrides are merged into it.
  places: [['recommender']],
  slot: RECOMMENDER_PLUGINS,
  checks: RECOMMENDER_CHECKS,
  schema: (component) => component.schema,
  input: (component, entry) => pluginConfig(entry, 'kind', component.name),
  check: (component, options) => component.check(options),
  // Each arm's recommender is the base with the arm's overrides: the arm's settings are the plug-in's too.
  variants: (scenario, entry) =>
    Object.entries(scenario.experiment?.arms ?? {}).flatMap(([name, arm]) => {
      const merged = armRecommenderInput(scenario.recommender, arm);
      return merged.kind === MODULE && merged.path === entry.path ? [{ at: ['experiment', 'arms', name], entry: merged }] : [];
    }),
});

/** Every kind a scenario may load from a file. */
export const PLUGIN_KINDS: readonly PluginKind[] = [SOURCE_KIND, POLICY_KIND, METRIC_KIND, USER_MODEL_KIND, RECOMMENDER_KIND];
