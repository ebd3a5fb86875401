/**
 * The score formula's small language: numbers, names, + - * / ^ (right-associative, above unary
 * minus: -a^2 is -(a^2)), parentheses and calls of a few named functions. Parsed into a tree
 * that score-formula.ts checks against the heads, folds into weights when it is affine, and
 * otherwise evaluates. Its own parser: a general expression library took ~0.7 s to load in
 * every process and thread that read a two-stage scenario, for this much grammar.
 */

export type Expression =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'negate'; readonly arg: Expression }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly Expression[] };

export type BinaryOperator = '+' | '-' | '*' | '/' | '^';

/** Why a text is not an expression of the language; `notAllowed` when it uses something the language leaves out on purpose (a comparison, an assignment, a string). */
export class ExpressionSyntaxError extends Error {
  override readonly name = 'ExpressionSyntaxError';
  constructor(
    message: string,
    readonly notAllowed: 'operator' | 'string' | null = null,
  ) {
    super(message);
  }
}

interface Token {
  readonly kind: 'number' | 'name' | 'symbol' | 'end';
  readonly text: string;
  /** 1-based character position, for messages. */
  readonly at: number;
}

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const SYMBOLS = new Set(['+', '-', '*', '/', '^', '(', ')', ',']);
/** Operators of general expression languages that this one leaves out, longest first. */
const LEFT_OUT = ['==', '!=', '<=', '>=', '<', '>', '=', '!', '%', '&', '|', '?', ':', '~', ';'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const number = NUMBER.exec(rest);
    const word = number?.[0] ?? NAME.exec(rest)?.[0];
    if (word !== undefined) {
      tokens.push({ kind: number ? 'number' : 'name', text: word, at: i + 1 });
      i += word.length;
    } else if (SYMBOLS.has(c)) {
      tokens.push({ kind: 'symbol', text: c, at: i + 1 });
      i++;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      throw new ExpressionSyntaxError(`only numbers may appear as constants, found ${end < 0 ? rest : text.slice(i, end + 1)}`, 'string');
    } else {
      const op = LEFT_OUT.find((o) => rest.startsWith(o));
      if (op !== undefined) throw new ExpressionSyntaxError(`operator "${op}" is not allowed (use + - * / ^)`, 'operator');
      throw new ExpressionSyntaxError(`unexpected "${c}" at character ${i + 1}`);
    }
  }
  tokens.push({ kind: 'end', text: '', at: text.length + 1 });
  return tokens;
}

/** The tree of `text`; throws ExpressionSyntaxError. */
export function parseExpression(text: string): Expression {
  const tokens = tokenize(text);
  let k = 0;
  const peek = (): Token => tokens[k];
  // A name or number never spells a symbol, and the end's text is empty.
  const isSymbol = (s: string): boolean => peek().text === s;
  const unexpected = (token: Token, wanted: string): ExpressionSyntaxError =>
    new ExpressionSyntaxError(token.kind === 'end' ? `it ends where ${wanted} was expected` : `"${token.text}" at character ${token.at}, where ${wanted} was expected`);
  const expect = (s: string): void => {
    if (!isSymbol(s)) throw unexpected(peek(), `"${s}"`);
    k++;
  };

  /** Operands joined left to right by any of `ops` (a − b − c is (a − b) − c). */
  function chain(operand: () => Expression, ops: readonly BinaryOperator[]): Expression {
    let left = operand();
    while ((ops as readonly string[]).includes(peek().text)) {
      const op = tokens[k++].text as BinaryOperator;
      left = { kind: 'binary', op, left, right: operand() };
    }
    return left;
  }
  function sum(): Expression {
    return chain(product, ['+', '-']);
  }
  function product(): Expression {
    return chain(signed, ['*', '/']);
  }
  function signed(): Expression {
    if (isSymbol('-')) {
      k++;
      return { kind: 'negate', arg: signed() };
    }
    if (isSymbol('+')) {
      k++;
      return signed();
    }
    return power();
  }
  function power(): Expression {
    const base = primary();
    if (!isSymbol('^')) return base;
    k++;
    return { kind: 'binary', op: '^', left: base, right: signed() };
  }
  function primary(): Expression {
    const token = peek();
    if (token.kind === 'number') {
      k++;
      return { kind: 'number', value: Number(token.text) };
    }
    if (token.kind === 'name') {
      k++;
      if (!isSymbol('(')) return { kind: 'name', name: token.text };
      k++;
      const args: Expression[] = [];
      if (!isSymbol(')')) {
        args.push(sum());
        while (isSymbol(',')) {
          k++;
          args.push(sum());
        }
      }
      expect(')');
      return { kind: 'call', fn: token.text, args };
    }
    if (isSymbol('(')) {
      k++;
      const inner = sum();
      expect(')');
      return inner;
    }
    throw unexpected(token, 'a number, a name or "("');
  }

  const root = sum();
  const rest = peek();
  if (rest.kind !== 'end') {
    // "2 click" or "2click": a product needs its "*".
    const adjacent = rest.kind !== 'symbol' || rest.text === '(';
    throw adjacent ? new ExpressionSyntaxError(`"${rest.text}" at character ${rest.at} follows a value with no operator between them (write * for a product)`) : unexpected(rest, 'an operator or the end');
  }
  return root;
}

/** The names an expression reads (not the functions it calls). */
export function namesIn(e: Expression, into = new Set<string>()): Set<string> {
  switch (e.kind) {
    case 'name':
      into.add(e.name);
      break;
    case 'negate':
      namesIn(e.arg, into);
      break;
    case 'binary':
      namesIn(e.left, into);
      namesIn(e.right, into);
      break;
    case 'call':
      for (const arg of e.args) namesIn(arg, into);
      break;
    case 'number':
      break;
  }
  return into;
}

/** The expression with each name `values` holds replaced by its number. */
export function substitute(e: Expression, values: Readonly<Record<string, number>>): Expression {
  switch (e.kind) {
    case 'name':
      return Object.prototype.hasOwnProperty.call(values, e.name) ? { kind: 'number', value: values[e.name] } : e;
    case 'negate':
      return { kind: 'negate', arg: substitute(e.arg, values) };
    case 'binary':
      return { ...e, left: substitute(e.left, values), right: substitute(e.right, values) };
    case 'call':
      return { ...e, args: e.args.map((arg) => substitute(arg, values)) };
    case 'number':
      return e;
  }
}

/** The functions a formula may call, with the arguments each takes. */
export const FORMULA_FUNCTIONS: Readonly<Record<string, { readonly min: number; readonly max: number; readonly apply: (args: readonly number[]) => number }>> = {
  abs: { min: 1, max: 1, apply: ([x]) => Math.abs(x) },
  exp: { min: 1, max: 1, apply: ([x]) => Math.exp(x) },
  // log(x) is natural; log(x, base) in that base.
  log: { min: 1, max: 2, apply: ([x, base]) => (base === undefined ? Math.log(x) : Math.log(x) / Math.log(base)) },
  log1p: { min: 1, max: 1, apply: ([x]) => Math.log1p(x) },
  max: { min: 1, max: Infinity, apply: (args) => Math.max(...args) },
  min: { min: 1, max: Infinity, apply: (args) => Math.min(...args) },
  pow: { min: 2, max: 2, apply: ([x, y]) => Math.pow(x, y) },
  sqrt: { min: 1, max: 1, apply: ([x]) => Math.sqrt(x) },
};

const BINARY: Readonly<Record<BinaryOperator, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => Math.pow(a, b),
};

/** A function of the values of `names` (in that order) computing the expression; its names and calls checked before. */
export function compileExpression(e: Expression, names: readonly string[]): (values: ArrayLike<number>) => number {
  switch (e.kind) {
    case 'number': {
      const { value } = e;
      return () => value;
    }
    case 'name': {
      const at = names.indexOf(e.name);
      if (at < 0) throw new RangeError(`formula: no value for "${e.name}"`);
      return (values) => values[at];
    }
    case 'negate': {
      const arg = compileExpression(e.arg, names);
      return (values) => -arg(values);
    }
    case 'binary': {
      const left = compileExpression(e.left, names);
      const right = compileExpression(e.right, names);
      const op = BINARY[e.op];
      return (values) => op(left(values), right(values));
    }
    case 'call': {
      if (!Object.prototype.hasOwnProperty.call(FORMULA_FUNCTIONS, e.fn)) throw new RangeError(`formula: unknown function "${e.fn}"`);
      const fn = FORMULA_FUNCTIONS[e.fn];
      const args = e.args.map((arg) => compileExpression(arg, names));
      const scratch = new Array<number>(args.length);
      return (values) => {
        for (let a = 0; a < args.length; a++) scratch[a] = args[a](values);
        return fn.apply(scratch);
      };
    }
  }
}
