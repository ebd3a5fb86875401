/**
 * Where a scenario YAML file becomes a frozen, typed Scenario. Every stage reports problems
 * with file:line:column (or the `--set` override responsible), the dotted key path and what
 * was expected, and reports all problems of a stage at once:
 *
 * 1. YAML syntax (the `yaml` package, keeping positions);
 * 2. the shape of the document: empty file, a top level that is not a mapping, duplicate
 *    keys, keys that are not plain names, aliases without an anchor;
 * 3. `--set key.path=value` overrides, applied to the document (one that switches a kind drops
 *    the file's keys only the old kind has, with a note: ./tag-switch.ts);
 * 4. the zod schema (defaults filled, durations turned into days);
 * 5. cross-field consistency (./consistency.ts);
 * 6. (async loaders only) the caller's resolver, given the chance to report problems at the
 *    same places: the plug-in loader (src/plugins/resolve.ts) loads users' own component files
 *    there. When it changes the scenario, stage 5 runs again on what it returns: a loaded
 *    component's declaration may take part in a check (a policy from a file that reorders the
 *    slate, against the re-ranker's MMR). This file knows no component by name.
 */
import { readFile } from 'node:fs/promises';
import { Document, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, visit, type YAMLError } from 'yaml';
import { checkConsistency, type ConsistencyProblem } from './consistency.js';
import { checkExperiment } from './experiment-check.js';
import { checkBandit } from './bandit-check.js';
import { checkReportSettings } from './report-check.js';
import { classifyScenario, isBanditScenario } from './world-kind.js';
import { describeValue } from './describe.js';
import { describeIssues, markDefaults } from './issues.js';
import { defaultInputAt } from './schema-walk.js';
import { applyOverride, parseOverride, type Override } from './overrides.js';
import { dropKeysOfReplacedOption, tagBefore } from './tag-switch.js';
import { formatPath, type KeyPath, type PathSegment } from './paths.js';
import { ScenarioError, type ScenarioProblem } from './problems.js';
import { scenarioSchema, type AnyScenario, type Scenario } from './schema.js';
import { ScenarioSource, keyText, type Target } from './source.js';

/** Where a resolver reports a problem: the problem at a key path, placed in the file or at the `--set` that wrote it. */
export interface ResolveContext {
  /** The scenario file as the caller named it. */
  readonly file: string;
  readonly problemAt: (path: KeyPath, message: string, target?: Target) => ScenarioProblem;
}

/**
 * A last, asynchronous step after validation: returns the scenario to use (a changed copy, or
 * the same), or throws ScenarioError with problems placed by `context`.
 */
export type ScenarioResolver = (scenario: AnyScenario, context: ResolveContext) => Promise<AnyScenario>;

export interface LoadOptions {
  /** Told what the loader did that the user should know of (keys a `--set` of another kind dropped). */
  readonly onNote?: (note: string) => void;
  /** Run by the async loaders (loadScenario, resolveScenario, ...) after validation; the sync parsers ignore it. */
  readonly resolve?: ScenarioResolver;
}

const EMPTY_MESSAGE = 'file is empty; expected a scenario mapping with at least name, horizon and recommender';

/** Reads and validates a scenario file; throws ScenarioError (naming the file) when it cannot be read or is not valid. */
export async function loadScenario(file: string, overrides: readonly string[] = [], options: LoadOptions = {}): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ScenarioError([{ file, path: '', message: readFailure(error) }]);
  }
  return resolveScenario(text, file, overrides, options);
}

/** As loadScenario, for a scenario of either world kind (population or bandit). */
export async function loadAnyScenario(file: string, overrides: readonly string[] = [], options: LoadOptions = {}): Promise<AnyScenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ScenarioError([{ file, path: '', message: readFailure(error) }]);
  }
  return resolveAnyScenario(text, file, overrides, options);
}

/** As parseScenario, then the resolver of `options` (the plug-in loader), if any. */
export async function resolveScenario(text: string, file: string, overrides: readonly string[] = [], options: LoadOptions = {}): Promise<Scenario> {
  return populationOnly(await resolveAnyScenario(text, file, overrides, options), file);
}

/** As parseAnyScenario, then the resolver of `options` (the plug-in loader), if any. */
export async function resolveAnyScenario(text: string, file: string, overrides: readonly string[] = [], options: LoadOptions = {}): Promise<AnyScenario> {
  const { scenario, problemAt, placeProblems } = validate(text, file, overrides, options);
  if (options.resolve === undefined) return deepFreeze(scenario);
  const resolved = await options.resolve(scenario, { file, problemAt });
  if (resolved !== scenario) {
    const inconsistencies = crossFieldProblems(resolved);
    if (inconsistencies.length > 0) throw new ScenarioError(placeProblems(inconsistencies));
  }
  return deepFreeze(resolved);
}

/**
 * Parses scenario YAML text (`file` is only used in messages), applies `--set` overrides such
 * as `world.users.count=5000`, validates, and returns the deep-frozen scenario. Only population
 * worlds: a bandit world is refused with a message (see parseAnyScenario).
 */
export function parseScenario(text: string, file: string, overrides: readonly string[] = [], options: LoadOptions = {}): Scenario {
  return populationOnly(parseAnyScenario(text, file, overrides, options), file);
}

function populationOnly(scenario: AnyScenario, file: string): Scenario {
  if (isBanditScenario(scenario)) {
    throw new ScenarioError([{ file, path: 'world.kind', message: 'a bandit world (world.kind: bandit) runs only with `recloop run`; this needs a population world' }]);
  }
  return scenario;
}

/** As parseScenario, for a scenario of either world kind (population or bandit). */
export function parseAnyScenario(text: string, file: string, overrides: readonly string[] = [], options: LoadOptions = {}): AnyScenario {
  return deepFreeze(validate(text, file, overrides, options).scenario);
}

/** Stages 1 to 5: the validated scenario, not yet frozen, and where a problem at a key path is. */
function validate(
  text: string,
  file: string,
  overrides: readonly string[],
  options: LoadOptions,
): { scenario: AnyScenario; problemAt: ResolveContext['problemAt']; placeProblems: (problems: readonly ConsistencyProblem[]) => ScenarioProblem[] } {
  const lineCounter = new LineCounter();
  // logLevel error: the library's warnings (odd keys, ambiguous aliases) would reach stderr as
  // Node warnings; what they point at is reported below as problems with a place.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, keepSourceTokens: true, logLevel: 'error' });
  const source = new ScenarioSource(doc, lineCounter);

  const problemAt = (path: KeyPath, message: string, target: Target = 'value'): ScenarioProblem => {
    const location = source.locate(path, target);
    const shown = formatPath(path);
    if (!location) return { file, path: shown, message };
    if (location.kind === 'override') return { file, path: shown, message, override: location.override };
    return { file, line: location.position.line, column: location.position.column, path: shown, message };
  };

  // 1. YAML syntax.
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((error) => ({
        file,
        ...source.offsetPosition(error.pos[0]),
        path: '',
        message: yamlMessage(error) + openerNote(doc, source, error),
      })),
    );
  }

  // 2. The shape of the document.
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    throw new ScenarioError([{ file, line: 1, column: 1, path: '', message: EMPTY_MESSAGE }]);
  }
  if (!isMap(root)) {
    const found = isSeq(root) ? 'a list' : isScalar(root) ? describeValue(root.value) : 'an alias';
    const position = source.position(root) ?? { line: 1, column: 1 };
    throw new ScenarioError([
      {
        file,
        ...position,
        path: '',
        message: `expected a scenario mapping at the top level (name: ..., horizon: ..., recommender: ...), found ${found}`,
      },
    ]);
  }
  const structural = checkStructure(doc, source, file);
  if (structural.length > 0) throw new ScenarioError(structural);

  // 3. Overrides.
  const parsed: Override[] = [];
  const overrideProblems: ScenarioProblem[] = [];
  for (const text of overrides) {
    const override = parseOverride(text);
    if ('error' in override) overrideProblems.push({ file, path: '', override: text, message: override.error });
    else parsed.push(override);
  }
  const notes: string[] = [];
  if (overrideProblems.length === 0) {
    for (const override of parsed) {
      const before = tagBefore(source, scenarioSchema, override.path, plainData(doc));
      const error = applyOverride(source, override, (path) => defaultInputAt(scenarioSchema, path, plainData(doc)));
      if (error !== undefined) overrideProblems.push({ file, path: '', override: override.text, message: error });
      else {
        const note = dropKeysOfReplacedOption(source, scenarioSchema, override.path, before, plainData(doc), file, override.text);
        if (note !== undefined) notes.push(note);
      }
    }
  }
  if (overrideProblems.length > 0) throw new ScenarioError(overrideProblems);
  for (const note of notes) options.onNote?.(note);

  // 4. The schema.
  let input: unknown;
  try {
    input = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ScenarioError([{ file, path: '', message: `cannot expand the document: ${firstLine(error)}` }]);
  }
  const result = scenarioSchema.safeParse(input, { error: markDefaults });
  if (!result.success) {
    throw new ScenarioError(
      describeIssues(result.error.issues, input, scenarioSchema).map((p) => problemAt(p.path, p.message, p.target)),
    );
  }

  // 5. Consistency across fields (experiment arms: each merged recommender validated like the base).
  const scenario = classifyScenario(result.data);
  const placeProblems = (problems: readonly ConsistencyProblem[]): ScenarioProblem[] =>
    problems.map(({ paths, message }) => problemAt(paths.find((path) => source.has(path)) ?? paths[0], message));
  const inconsistencies = crossFieldProblems(scenario);
  if (inconsistencies.length > 0) throw new ScenarioError(placeProblems(inconsistencies));

  return { scenario, problemAt, placeProblems };
}

/** Stage 5's checks (experiment arms: each merged recommender validated like the base). */
function crossFieldProblems(scenario: AnyScenario): ConsistencyProblem[] {
  const plugins: unknown = (scenario.metrics as Readonly<Record<string, unknown>>).plugins;
  const report = checkReportSettings(scenario.report, Array.isArray(plugins) && plugins.length > 0);
  return [...(isBanditScenario(scenario) ? checkBandit(scenario) : [...checkConsistency(scenario), ...checkExperiment(scenario)]), ...report];
}

/**
 * The fully resolved scenario (every default filled in, durations as numbers of days) as YAML
 * with a one-line header comment. It parses back through parseScenario to an equal scenario.
 */
export function toResolvedYaml(scenario: AnyScenario): string {
  const doc = new Document(scenario);
  doc.commentBefore = ` recloop scenario "${scenario.name}", fully resolved: every default filled in, durations in days`;
  visit(doc, {
    Seq(_, node) {
      node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** Duplicate keys, keys that are not plain names, and aliases whose anchor is missing. */
function checkStructure(doc: Document, source: ScenarioSource, file: string): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const report = (node: unknown, path: KeyPath, message: string): void => {
    const position = source.position(node);
    problems.push(position ? { file, ...position, path: formatPath(path), message } : { file, path: formatPath(path), message });
  };
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (isMap(node)) {
      const seen = new Map<string, unknown>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) {
          report(pair.key, path, `expected a plain key name, found ${isSeq(pair.key) ? 'a list' : 'a mapping'} used as a key`);
          continue;
        }
        // A tagged key (!!binary, !!timestamp) is a scalar whose value is an object.
        if (typeof pair.key.value === 'object' && pair.key.value !== null) {
          report(pair.key, path, `expected a plain key name, found ${describeValue(pair.key.value)} used as a key`);
          continue;
        }
        const key = keyText(pair.key);
        const first = seen.get(key);
        if (first !== undefined) {
          const line = source.position(first)?.line;
          report(pair.key, [...path, key], `duplicate key "${key}"${line === undefined ? '' : ` (first given on line ${line})`}; a key may appear only once in a mapping`);
        } else {
          seen.set(key, pair.key);
        }
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    } else if (isAlias(node) && node.resolve(doc) === undefined) {
      report(node, path, `unknown alias *${node.source}; define the anchor &${node.source} before using it`);
    }
  };
  walk(doc.contents, []);
  return problems;
}

function yamlMessage(error: YAMLError): string {
  const text = error.message.split('\n')[0].replace(/\.$/, '');
  switch (error.code) {
    case 'MULTIPLE_DOCS':
      return 'invalid YAML: the file holds more than one document (a second "---" line); a scenario is a single document';
    case 'TAB_AS_INDENT':
      return `invalid YAML: ${text}; indent with spaces`;
    default: {
      // The parser recurses per level of nesting; thousands of levels exhaust the stack.
      if (/call stack/i.test(text)) return 'invalid YAML: nested too deeply (thousands of levels of brackets or mappings)';
      const quote = /^Missing closing (["'])quote$/.exec(text)?.[1];
      return quote === undefined ? `invalid YAML: ${text}` : `invalid YAML: missing closing ${quote} quote`;
    }
  }
}

/**
 * For an unclosed bracket or quote, YAML notices only where the file goes on without it;
 * this says where the bracket or quote was opened.
 */
function openerNote(doc: Document, source: ScenarioSource, error: YAMLError): string {
  const at = error.pos[0];
  let opener: { offset: number; what: string } | undefined;
  const consider = (offset: number, what: string): void => {
    if (offset < at && (!opener || offset > opener.offset)) opener = { offset, what };
  };
  const bracket = /end with a ([\]}])/.exec(error.message)?.[1];
  const quote = /^Missing closing (["'])/.exec(error.message)?.[1];
  if (bracket === undefined && quote === undefined) return '';
  visit(doc, {
    Collection(_, node) {
      const token = node.srcToken;
      if (bracket !== undefined && token?.type === 'flow-collection' && token.end.length === 0) {
        const open = token.start.source;
        if ((open === '[' && bracket === ']') || (open === '{' && bracket === '}')) consider(token.start.offset, `"${open}"`);
      }
    },
    Scalar(_, node) {
      const token = node.srcToken;
      if (quote === undefined || token === undefined) return;
      if (token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') {
        const body = token.source.trimEnd();
        if (body[0] === quote && (body.length === 1 || !body.endsWith(quote))) consider(token.offset, quote);
      }
    },
  });
  if (!opener) return '';
  const { line, column } = source.offsetPosition(opener.offset);
  return bracket !== undefined
    ? ` (the ${opener.what} opened at line ${line}, column ${column} is not closed, or the lines inside it are not indented enough)`
    : `; the quote opened at line ${line}, column ${column} is never closed`;
}

function readFailure(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ENOENT':
      return 'cannot read the scenario file: no such file';
    case 'EISDIR':
      return 'cannot read the scenario file: it is a directory, expected a YAML file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read the scenario file: permission denied';
    default:
      return `cannot read the scenario file: ${firstLine(error)}`;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** The document as plain data, or undefined when it cannot be expanded (reported later). */
function plainData(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
