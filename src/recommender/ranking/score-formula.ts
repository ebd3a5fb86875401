/**
 * The score formula of a scenario, e.g. `0.5*watch + 0.2*complete + 0.1*like + 0.2*survey`:
 * one number per candidate from its calibrated head outputs. Parsed once (formula-expression.ts)
 * and checked against the configured heads, so a typo is a validation error, not a silent zero
 * at run time.
 *
 * Allowed: numbers, the configured head names, named parameters (`recommender.score_params`,
 * so a sweep can vary one weight by name: `w*click + (1-w)*survey`), + - * / ^, parentheses and a
 * few functions (ALLOWED_FUNCTIONS). Parameters are replaced by their values before anything
 * else, so a formula linear in the heads (the usual weighted sum) is evaluated as a dot product
 * whatever its parameters; anything else is evaluated per candidate from its compiled tree.
 */
import { compileExpression, ExpressionSyntaxError, FORMULA_FUNCTIONS, namesIn, parseExpression, substitute, type Expression } from './formula-expression.js';
import { RANKER_HEADS } from './heads.js';
import { didYouMean } from '../../settings/suggest.js';

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

export const ALLOWED_FUNCTIONS = Object.keys(FORMULA_FUNCTIONS);

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
  let parsed: Expression;
  try {
    parsed = parseExpression(text);
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    if (error.notAllowed !== null) throw new FormulaError(`score formula "${text}": ${error.message}`);
    throw new FormulaError(`score formula "${text}" is not a valid expression: ${error.message}`);
  }
  const uses = new Set<string>();
  const usedParams = new Set<string>();
  checkNode(parsed, text, { heads, params }, uses, usedParams);
  // An unused parameter is most likely a misspelt one: sweeping it would change nothing.
  const unused = Object.keys(params).filter((name) => !usedParams.has(name));
  if (unused.length > 0) {
    throw new FormulaError(
      `score parameter "${unused[0]}" is not used by the score formula "${text}"; use it in recommender.score or remove it from recommender.score_params` +
        didYouMean(unused[0], [...namesIn(parsed)].filter((name) => !heads.includes(name))),
      unused[0],
    );
  }
  const root = substitute(parsed, params);
  const linear = linearize(root, heads);
  const compiled = compileExpression(root, heads);
  const formula = linear ? new LinearScoreFormula(text, heads, [...uses], linear, compiled) : new GeneralScoreFormula(text, heads, [...uses], compiled);
  // Catch what only evaluation can show, e.g. sqrt of a negative constant, which has no real value.
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

interface Names {
  readonly heads: readonly string[];
  readonly params: ScoreParams;
}

/** Walks the tree: every name a configured head or a parameter, every call an allowed function with as many arguments as it takes. */
function checkNode(node: Expression, text: string, names: Names, uses: Set<string>, usedParams: Set<string>): void {
  const { heads, params } = names;
  switch (node.kind) {
    case 'number':
      return;
    case 'name':
      if (heads.includes(node.name)) uses.add(node.name);
      else if (Object.prototype.hasOwnProperty.call(params, node.name)) usedParams.add(node.name);
      else throw new FormulaError(unknownName(node.name, text, names));
      return;
    case 'negate':
      checkNode(node.arg, text, names, uses, usedParams);
      return;
    case 'binary':
      checkNode(node.left, text, names, uses, usedParams);
      checkNode(node.right, text, names, uses, usedParams);
      return;
    case 'call': {
      const fn = Object.prototype.hasOwnProperty.call(FORMULA_FUNCTIONS, node.fn) ? FORMULA_FUNCTIONS[node.fn] : undefined;
      if (fn === undefined) {
        throw new FormulaError(`unknown function "${node.fn}" in score formula "${text}" (allowed functions: ${ALLOWED_FUNCTIONS.join(', ')})${didYouMean(node.fn, ALLOWED_FUNCTIONS)}`);
      }
      if (node.args.length < fn.min || node.args.length > fn.max) {
        const takes = fn.min === fn.max ? `${fn.min}` : fn.max === Infinity ? `${fn.min} or more` : `${fn.min} to ${fn.max}`;
        throw new FormulaError(`score formula "${text}": ${node.fn} takes ${takes} argument${takes === '1' ? '' : 's'}, found ${node.args.length}`);
      }
      for (const arg of node.args) checkNode(arg, text, names, uses, usedParams);
      return;
    }
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
function linearize(root: Expression, heads: readonly string[]): LinearFormula | null {
  const affine = toAffine(root);
  if (affine === null) return null;
  return { weights: Float64Array.from(heads, (h) => affine.weights.get(h) ?? 0), constant: affine.constant };
}

function toAffine(node: Expression): Affine | null {
  switch (node.kind) {
    case 'number':
      return { weights: new Map(), constant: node.value };
    case 'name':
      return { weights: new Map([[node.name, 1]]), constant: 0 };
    case 'negate': {
      const a = toAffine(node.arg);
      return a && scale(a, -1);
    }
    case 'binary': {
      const a = toAffine(node.left);
      const b = toAffine(node.right);
      if (a === null || b === null) return null;
      switch (node.op) {
        case '+':
          return sum(a, b, 1);
        case '-':
          return sum(a, b, -1);
        case '*':
          if (a.weights.size === 0) return scale(b, a.constant);
          if (b.weights.size === 0) return scale(a, b.constant);
          return null;
        case '/':
          return b.weights.size === 0 && b.constant !== 0 ? scale(a, 1 / b.constant) : null;
      }
      return null; // a power
    }
    case 'call':
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

/** A compiled tree over the values of the configured heads, in their order. */
type Compiled = (values: ArrayLike<number>) => number;

abstract class BaseFormula implements CompiledFormula {
  constructor(
    readonly text: string,
    readonly heads: readonly string[],
    readonly uses: readonly string[],
    readonly linear: LinearFormula | null,
    protected readonly compiled: Compiled,
  ) {}

  abstract evaluate(columns: readonly ArrayLike<number>[], out?: Float64Array): Float64Array;

  evaluateOne(values: Readonly<Record<string, number>>): number {
    const row = this.heads.map((h) => values[h] ?? Number.NaN);
    return realValue(this.compiled(row), row, this.text);
  }

  protected checkColumns(columns: readonly ArrayLike<number>[], out: Float64Array | undefined): Float64Array {
    if (columns.length !== this.heads.length) throw new RangeError(`score formula: expected ${this.heads.length} head columns, got ${columns.length}`);
    const n = columns.length > 0 ? columns[0].length : 0;
    return out ?? new Float64Array(n);
  }
}

class LinearScoreFormula extends BaseFormula {
  constructor(text: string, heads: readonly string[], uses: readonly string[], private readonly affine: LinearFormula, compiled: Compiled) {
    super(text, heads, uses, affine, compiled);
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
}

class GeneralScoreFormula extends BaseFormula {
  constructor(text: string, heads: readonly string[], uses: readonly string[], compiled: Compiled) {
    super(text, heads, uses, null, compiled);
  }

  evaluate(columns: readonly ArrayLike<number>[], out?: Float64Array): Float64Array {
    const scores = this.checkColumns(columns, out);
    const row = new Float64Array(columns.length);
    for (let i = 0; i < scores.length; i++) {
      for (let h = 0; h < columns.length; h++) row[h] = columns[h][i];
      scores[i] = realValue(this.compiled(row), row, this.text);
    }
    return scores;
  }
}

/**
 * The value, or a FormulaError when real head values gave none (the square root or logarithm
 * of a negative number): a NaN head (a candidate a ranking cascade dropped) passes through.
 */
function realValue(value: number, row: ArrayLike<number>, text: string): number {
  if (!Number.isNaN(value)) return value;
  for (let h = 0; h < row.length; h++) if (Number.isNaN(row[h])) return value;
  throw new FormulaError(`score formula "${text}" does not evaluate to a real number (got NaN)`);
}
