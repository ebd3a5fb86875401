/**
 * The plug-in loader: the scenario resolver (scenario/load.ts, step 6) that finds every
 * `{ <tag>: module, path: ... }` entry (module-entry.ts), loads its file relative to the
 * scenario file, checks that the file exports a component of the entry's kind (kinds.ts),
 * checks the entry's options with the schema that component declares, and keeps the component
 * where its registry builds it from. Every problem is reported at the entry's place in the
 * file (file:line:column and key path), all of them at once.
 *
 * The scenario it returns has each entry's path made absolute (an experiment arm's too when it
 * names the recommender's file again) and the plug-in's defaults filled in, so the resolved scenario of a run folder (and an experiment's worker) loads the
 * same files again.
 */
import { stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import type { AnyScenario, ResolveContext, ScenarioProblem } from '../scenario/index.js';
import { ScenarioError } from '../scenario/index.js';
import { describeIssues, markDefaults } from '../scenario/issues.js';
import type { KeyPath, PathSegment } from '../scenario/paths.js';
import { importFile, PLUGIN_EXTENSIONS } from './import-file.js';
import { PLUGIN_KINDS, type PlacePattern, type PluginKind } from './kinds.js';
import { MODULE } from '../settings/module-entry.js';

type Plain = Record<string, unknown>;

/** Loads the plug-ins a scenario names; pass it as `resolve` to loadScenario and its kin. */
export async function resolvePlugins(scenario: AnyScenario, context: ResolveContext): Promise<AnyScenario> {
  const found = PLUGIN_KINDS.flatMap((kind) => kind.places.flatMap((place) => matches(scenario, place)).filter((path) => isEntry(valueAt(scenario, path), kind)).map((path) => ({ kind, path })));
  if (found.length === 0) return scenario;
  const copy: AnyScenario = structuredClone(scenario);
  const problems: ScenarioProblem[] = [];
  for (const { kind, path } of found) {
    const entry = valueAt(copy, path);
    if (!isPlain(entry)) continue;
    const outcome = await resolveEntry(kind, entry, path, context, scenario);
    if ('problems' in outcome) {
      problems.push(...outcome.problems);
      continue;
    }
    replaceAt(copy, path, outcome.entry);
    // A variant that names the same file itself (an arm repeating the recommender's path) names it as the entry now does.
    for (const at of outcome.variants) {
      const variant = valueAt(copy, at);
      if (isPlain(variant) && variant.path !== undefined) variant.path = outcome.entry.path;
    }
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  return copy;
}

async function resolveEntry(
  kind: PluginKind,
  entry: Plain,
  at: KeyPath,
  { file, problemAt }: ResolveContext,
  scenario: AnyScenario,
): Promise<{ entry: Plain; variants: readonly KeyPath[] } | { problems: ScenarioProblem[] }> {
  const fail = (message: string, path: KeyPath = [...at, 'path']) => ({ problems: [problemAt(path, message)] });
  const written = String(entry.path);
  const absolute = isAbsolute(written) ? written : resolve(dirname(file), written);
  const shown = written === absolute ? written : `${written} (${absolute})`;
  if (!PLUGIN_EXTENSIONS.some((extension) => extname(absolute) === extension)) {
    return fail(`expected a TypeScript or JavaScript file (${PLUGIN_EXTENSIONS.join(', ')}), got ${shown}`);
  }
  const missing = await fileProblem(absolute);
  if (missing !== undefined) return fail(`cannot load the ${kind.what} ${shown}: ${missing}`);

  let namespace: unknown;
  try {
    namespace = await importFile(absolute);
  } catch (error) {
    return fail(`cannot load the ${kind.what} ${shown}: ${loadMessage(error)}`);
  }
  const exported = defaultExport(namespace);
  if (exported === undefined) return fail(`${shown} has no default export; expected ${kind.declare}`);
  const adopted = kind.adopt(exported);
  if (typeof adopted === 'string') return fail(`${shown} does not export ${withArticle(kind.what)} (${adopted}); expected ${kind.declare}`);

  const input = adopted.input(entry);
  const result = adopted.schema.safeParse(input, { error: markDefaults });
  if (!result.success) {
    return { problems: describeIssues(result.error.issues, input, adopted.schema).map((p) => problemAt([...at, ...p.path], p.message, p.target)) };
  }
  const crossed = adopted.check(result.data);
  if (crossed.length > 0) return { problems: crossed.map(({ paths, message }) => problemAt(paths[0] ?? at, message)) };
  const variants = kind.variants?.(scenario, entry) ?? [];
  const variantProblems = variants.flatMap((variant) => {
    const variantInput = adopted.input(variant.entry);
    const checked = adopted.schema.safeParse(variantInput, { error: markDefaults });
    return checked.success ? [] : describeIssues(checked.error.issues, variantInput, adopted.schema).map((p) => problemAt([...variant.at, ...p.path], p.message, p.target));
  });
  if (variantProblems.length > 0) return { problems: variantProblems };
  const refused = adopted.keep(absolute);
  if (refused !== undefined) return fail(`the ${kind.what} ${shown} ${refused}`, at);
  const options = isPlain(result.data) ? result.data : {};
  const { [kind.tag]: _name, ...settings } = options;
  return { entry: { [kind.tag]: MODULE, path: absolute, ...settings }, variants: variants.map((variant) => variant.at) };
}

/** Why a file cannot be imported before trying, or undefined. */
async function fileProblem(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? undefined : 'it is not a file';
  } catch {
    return 'no such file';
  }
}

/** The loader's message: its first line, and the next when the first only announces it (esbuild's "Transform failed with 1 error:"). */
function loadMessage(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines[0]?.endsWith(':') && lines.length > 1 ? `${lines[0]} ${lines[1]}` : (lines[0] ?? 'unknown error');
}

function withArticle(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/**
 * The file's default export. A file Node loads as CommonJS (a .ts or .js file outside any
 * `"type": "module"` package) comes back as `{ default: module.exports }`, and its own
 * `export default` as a `default` inside that: unwrapped here.
 */
function defaultExport(namespace: unknown): unknown {
  if (typeof namespace !== 'object' || namespace === null || !('default' in namespace)) return undefined;
  const value = namespace.default;
  if (typeof value === 'object' && value !== null && '__esModule' in value) return 'default' in value ? value.default : undefined;
  return value;
}

function isEntry(value: unknown, kind: PluginKind): boolean {
  return isPlain(value) && value[kind.tag] === MODULE;
}

/** Every path in `root` that `pattern` matches (`*`: every list element or mapping key). */
function matches(root: unknown, pattern: PlacePattern, prefix: PathSegment[] = []): KeyPath[] {
  if (pattern.length === 0) return [prefix];
  const [head, ...rest] = pattern;
  if (head !== '*') return valueAt(root, [head]) === undefined ? [] : matches(valueAt(root, [head]), rest, [...prefix, head]);
  if (Array.isArray(root)) return root.flatMap((child, index) => matches(child, rest, [...prefix, index]));
  if (isPlain(root)) return Object.entries(root).flatMap(([key, child]) => matches(child, rest, [...prefix, key]));
  return [];
}

function valueAt(root: unknown, path: KeyPath): unknown {
  let node = root;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isPlain(node)) node = node[String(segment)];
    else return undefined;
  }
  return node;
}

function replaceAt(root: unknown, path: KeyPath, value: Plain): void {
  const parent = valueAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = value;
  else if (isPlain(parent)) parent[String(last)] = value;
}

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
