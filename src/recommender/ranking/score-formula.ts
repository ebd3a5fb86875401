/**
 * The score formula of a scenario, e.g. `0.5*watch + 0.2*complete + 0.1*like + 0.2*survey`:
 * one number per candidate from its calibrated head outputs. Parsed once with mathjs and checked
 * against the configured heads, so a typo is a validation error, not a silent zero at run time.
 *
 * Allowed: numbers, the configured head names, named parameters (`recommender.score_params`,
 * so a sweep can vary one weight by name: `w*click + (1-w)*survey`), + - * / ^, parentheses and a
 * few functions (ALLOWED_FUNCTIONS). Parameters are replaced by their values before anything
 * else, so a formula linear in the heads (the usual weighted sum) is evaluated as a dot product
 * whatever its parameters; anything else goes through mathjs per candidate with one reused scope.
 */
import { createRequire } from 'node:module';
import type { EvalFunction, MathNode } from 'mathjs';
import { RANKER_HEADS } from './heads.js';
import { didYouMean } from '../../settings/suggest.js';

/**
 * mathjs, loaded on the first formula: it takes about half a second to load, which every
 * process (and every experiment worker) would otherwise pay whether or not it has a formula.
 */
let mathjs: typeof import('mathjs') | undefined;
function parse(text: string): MathNode {
  mathjs ??= createRequire(import.meta.url)('mathjs') as typeof import('mathjs');
  return mathjs.parse(text);
}

export class FormulaError extends Error {
  override readonly name = 'FormulaError';
  /** The parameter the problem is about, when it is one (reported at `score_params.<name>`). */
  constructor(
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

/** Named numbers a formula may use besides the heads, e.g. `{ w: 0.25 }`. */
export type ScoreParams = Readonly<Record<string, number>>;

export const ALLOWED_FUNCTIONS = ['abs', 'exp', 'log', 'log1p', 'max', 'min', 'pow', 'sqrt'] as const;

const ALLOWED_OPERATORS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus']);

export interface LinearFormula {
  /** One weight per configured head, in the order of `heads`. */
  readonly weights: Float64Array;
  readonly constant: number;
}

export interface CompiledFormula {
  readonly text: string;
  /** The configured heads, in the order `evaluate` expects its columns. */
  readonly heads: readonly string[];
  /** Heads the formula names. */
  readonly uses: readonly string[];
  /** Set when the formula is a weighted sum of heads plus a constant. */
  readonly linear: LinearFormula | null;
  /** Scores for n candidates from one column of head outputs per configured head: columns[h][i]. */
  evaluate(columns: readonly ArrayLike<number>[], out?: Float64Array): Float64Array;
  /** The score of one candidate. */
  evaluateOne(values: Readonly<Record<string, number>>): number;
}

export function compileScoreFormula(text: string, heads: readonly string[], params: ScoreParams = {}): CompiledFormula {
  if (text.trim() === '') throw new FormulaError('the score formula is empty; write e.g. "0.5*watch + 0.5*click"');
  checkParamNames(params, heads);
  let parsed: MathNode;
  try {
    parsed = parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FormulaError(`score formula "${text}" is not a valid expression: ${reason}`);
  }
  const uses = new Set<string>();
  const usedParams = new Set<string>();
  checkNode(parsed, text, { heads, params }, uses, usedParams);
  // An unused parameter is most likely a misspelt one: sweeping it would change nothing.
  const unused = Object.keys(params).filter((name) => !usedParams.has(name));
  if (unused.length > 0) {
    throw new FormulaError(
      `score parameter "${unused[0]}" is not used by the score formula "${text}"; use it in recommender.score or remove it from recommender.score_params` +
        didYouMean(unused[0], [...symbolsOf(parsed)].filter((name) => !heads.includes(name))),
      unused[0],
    );
  }
  const root = withParams(parsed, params);
  const linear = linearize(root, heads);
  const compiled = root.compile();
  const formula = linear ? new LinearScoreFormula(text, heads, [...uses], linear, compiled) : new GeneralScoreFormula(text, heads, [...uses], compiled);
  // Catch what only evaluation can show, e.g. sqrt of a negative constant giving a complex number.
  formula.evaluateOne(Object.fromEntries(heads.map((h) => [h, 0.5])));
  return formula;
}

/** A parameter may not hide a head or a function, and its value must be a finite number. */
function checkParamNames(params: ScoreParams, heads: readonly string[]): void {
  for (const [name, value] of Object.entries(params)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new FormulaError(`score parameter "${name}": expected a name of letters, digits and _ that does not start with a digit, e.g. w`, name);
    }
    if ((RANKER_HEADS as readonly string[]).includes(name) || heads.includes(name) || (ALLOWED_FUNCTIONS as readonly string[]).includes(name)) {
      throw new FormulaError(`score parameter "${name}" has the name of a ranker head or a function; call it something else, e.g. w_${name}`, name);
    }
    if (!Number.isFinite(value)) throw new FormulaError(`score parameter "${name}": expected a finite number, found ${value}`, name);
  }
}

/** The names a formula's symbols use (heads, parameters, unknown names). */
function symbolsOf(root: MathNode): Set<string> {
  const names = new Set<string>();
  root.traverse((node, _path, parent) => {
    if (isVariable(node, parent)) names.add((node as MathNode & { name: string }).name);
  });
  return names;
}

/** A symbol that stands for a value: a function's own name is a SymbolNode too, but not a variable of the formula. */
function isVariable(node: MathNode, parent: MathNode | null): boolean {
  return node.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && (parent as MathNode & { fn: MathNode }).fn === node);
}

/** The tree with every parameter replaced by its value, as if the number had been written. */
function withParams(root: MathNode, params: ScoreParams): MathNode {
  if (Object.keys(params).length === 0) return root;
  mathjs ??= createRequire(import.meta.url)('mathjs') as typeof import('mathjs');
  const { ConstantNode } = mathjs;
  return root.transform((node, _path, parent) => {
    const name = isVariable(node, parent) ? (node as MathNode & { name: string }).name : undefined;
    return name !== undefined && Object.prototype.hasOwnProperty.call(params, name) ? new ConstantNode(params[name]) : node;
  });
}

interface Names {
  readonly heads: readonly string[];
  readonly params: ScoreParams;
}

/** Walks the tree, rejecting anything but numbers, configured heads, parameters, arithmetic and allowed functions. */
function checkNode(node: MathNode, text: string, names: Names, uses: Set<string>, usedParams: Set<string>): void {
  const { heads, params } = names;
  switch (node.type) {
    case 'ConstantNode': {
      const { value } = node as MathNode & { value: unknown };
      if (typeof value !== 'number') throw new FormulaError(`score formula "${text}": only numbers may appear as constants, found ${node.toString()}`);
      return;
    }
    case 'SymbolNode': {
      const { name } = node as MathNode & { name: string };
      if (heads.includes(name)) {
        uses.add(name);
        return;
      }
      if (Object.prototype.hasOwnProperty.call(params, name)) {
        usedParams.add(name);
        return;
      }
      throw new FormulaError(unknownName(name, text, names));
    }
    case 'ParenthesisNode':
      checkNode((node as MathNode & { content: MathNode }).content, text, names, uses, usedParams);
      return;
    case 'OperatorNode': {
      const { fn, op, args } = node as MathNode & { fn: string; op: string; args: MathNode[] };
      if (!ALLOWED_OPERATORS.has(fn)) throw new FormulaError(`score formula "${text}": operator "${op}" is not allowed (use + - * / ^)`);
      for (const arg of args) checkNode(arg, text, names, uses, usedParams);
      return;
    }
    case 'FunctionNode': {
      const { fn, args } = node as MathNode & { fn: MathNode & { name?: string }; args: MathNode[] };
      const name = fn.name ?? fn.toString();
      if (!(ALLOWED_FUNCTIONS as readonly string[]).includes(name)) {
        throw new FormulaError(
          `unknown function "${name}" in score formula "${text}" (allowed functions: ${ALLOWED_FUNCTIONS.join(', ')})${didYouMean(name, ALLOWED_FUNCTIONS)}`,
        );
      }
      for (const arg of args) checkNode(arg, text, names, uses, usedParams);
      return;
    }
    default:
      throw new FormulaError(
        `score formula "${text}": ${node.toString()} is not allowed; use numbers, head names (${heads.join(', ')}), + - * / ^, parentheses and ${ALLOWED_FUNCTIONS.join(', ')}`,
      );
  }
}

function unknownName(name: string, text: string, { heads, params }: Names): string {
  if ((RANKER_HEADS as readonly string[]).includes(name)) {
    return `score formula "${text}" uses "${name}", which is not among the ranker's heads (${heads.join(', ')}); add "${name}" to recommender.ranker.heads or remove it from the formula`;
  }
  const paramNames = Object.keys(params);
  const allowed = paramNames.length === 0 ? heads.join(', ') : `${heads.join(', ')}; parameters in recommender.score_params: ${paramNames.join(', ')}`;
  const suggestion = didYouMean(name, [...heads, ...paramNames]);
  // Not a typo of a known name: perhaps a weight meant to be set (and swept) by name.
  const hint = suggestion === '' ? `; a named weight is declared in recommender.score_params, e.g. score_params: { ${name}: 0.5 }` : '';
  return `unknown name "${name}" in score formula "${text}" (allowed names: ${allowed})${suggestion}${hint}`;
}

interface Affine {
  readonly weights: Map<string, number>;
  readonly constant: number;
}

/** The formula as weights and a constant when it is affine in the heads, else null. */
function linearize(root: MathNode, heads: readonly string[]): LinearFormula | null {
  const affine = toAffine(root);
  if (affine === null) return null;
  return { weights: Float64Array.from(heads, (h) => affine.weights.get(h) ?? 0), constant: affine.constant };
}

function toAffine(node: MathNode): Affine | null {
  switch (node.type) {
    case 'ConstantNode':
      return { weights: new Map(), constant: (node as MathNode & { value: number }).value };
    case 'SymbolNode':
      return { weights: new Map([[(node as MathNode & { name: string }).name, 1]]), constant: 0 };
    case 'ParenthesisNode':
      return toAffine((node as MathNode & { content: MathNode }).content);
    case 'OperatorNode': {
      const { fn, args } = node as MathNode & { fn: string; args: MathNode[] };
      const parts = args.map(toAffine);
      if (parts.some((p) => p === null)) return null;
      const [a, b] = parts as Affine[];
      switch (fn) {
        case 'unaryPlus':
          return a;
        case 'unaryMinus':
          return scale(a, -1);
        case 'add':
          return sum(a, b, 1);
        case 'subtract':
          return sum(a, b, -1);
        case 'multiply':
          if (a.weights.size === 0) return scale(b, a.constant);
          if (b.weights.size === 0) return scale(a, b.constant);
          return null;
        case 'divide':
          return b.weights.size === 0 && b.constant !== 0 ? scale(a, 1 / b.constant) : null;
        default:
          return null;
      }
    }
    default:
      return null;
  }
}

function scale(a: Affine, k: number): Affine {
  return { weights: new Map([...a.weights].map(([h, w]) => [h, w * k])), constant: a.constant * k };
}

function sum(a: Affine, b: Affine, sign: number): Affine {
  const weights = new Map(a.weights);
  for (const [h, w] of b.weights) weights.set(h, (weights.get(h) ?? 0) + sign * w);
  return { weights, constant: a.constant + sign * b.constant };
}

abstract class BaseFormula implements CompiledFormula {
  constructor(
    readonly text: string,
    readonly heads: readonly string[],
    readonly uses: readonly string[],
    readonly linear: LinearFormula | null,
  ) {}

  abstract evaluate(columns: readonly ArrayLike<number>[], out?: Float64Array): Float64Array;
  abstract evaluateOne(values: Readonly<Record<string, number>>): number;

  protected checkColumns(columns: readonly ArrayLike<number>[], out: Float64Array | undefined): Float64Array {
    if (columns.length !== this.heads.length) throw new RangeError(`score formula: expected ${this.heads.length} head columns, got ${columns.length}`);
    const n = columns.length > 0 ? columns[0].length : 0;
    return out ?? new Float64Array(n);
  }
}

class LinearScoreFormula extends BaseFormula {
  constructor(
    text: string,
    heads: readonly string[],
    uses: readonly string[],
    private readonly affine: LinearFormula,
    private readonly compiled: EvalFunction,
  ) {
    super(text, heads, uses, affine);
  }

  evaluate(columns: readonly ArrayLike<number>[], out?: Float64Array): Float64Array {
    const scores = this.checkColumns(columns, out);
    scores.fill(this.affine.constant);
    for (let h = 0; h < columns.length; h++) {
      const w = this.affine.weights[h];
      if (w === 0) continue;
      const column = columns[h];
      for (let i = 0; i < scores.length; i++) scores[i] += w * column[i];
    }
    return scores;
  }

  evaluateOne(values: Readonly<Record<string, number>>): number {
    return toNumber(this.compiled.evaluate(new Map(Object.entries(values))), this.text);
  }
}

class GeneralScoreFormula extends BaseFormula {
  /** Reused across candidates: mathjs reads head values from it by name. */
  private readonly scope = new Map<string, number>();

  constructor(
    text: string,
    heads: readonly string[],
    uses: readonly string[],
    private readonly compiled: EvalFunction,
  ) {
    super(text, heads, uses, null);
  }

  evaluate(columns: readonly ArrayLike<number>[], out?: Float64Array): Float64Array {
    const scores = this.checkColumns(columns, out);
    const used = this.uses.map((name) => ({ name, column: columns[this.heads.indexOf(name)] }));
    for (let i = 0; i < scores.length; i++) {
      for (const { name, column } of used) this.scope.set(name, column[i]);
      scores[i] = toNumber(this.compiled.evaluate(this.scope), this.text);
    }
    return scores;
  }

  evaluateOne(values: Readonly<Record<string, number>>): number {
    return toNumber(this.compiled.evaluate(new Map(Object.entries(values))), this.text);
  }
}

function toNumber(value: unknown, text: string): number {
  if (typeof value === 'number') return value;
  throw new FormulaError(`score formula "${text}" does not evaluate to a real number (got ${String(value)})`);
}
