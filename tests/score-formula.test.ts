import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScoreFormula, FormulaError } from '../src/recommender/ranking/score-formula.js';
import { loadScenario, parseScenario, ScenarioError } from '../src/scenario/index.js';

const HEADS = ['click', 'watch', 'complete', 'like', 'survey'] as const;

function formulaError(text: string, heads: readonly string[] = HEADS): FormulaError {
  try {
    compileScoreFormula(text, heads);
  } catch (error) {
    expect(error).toBeInstanceOf(FormulaError);
    return error as FormulaError;
  }
  throw new Error(`expected "${text}" to be rejected`);
}

describe('compileScoreFormula', () => {
  it('evaluates a weighted sum as a dot product, per candidate', () => {
    const f = compileScoreFormula('0.5*watch + 0.2*complete + 0.1*like + 0.2*survey', HEADS);
    expect(f.linear).not.toBeNull();
    expect(Array.from(f.linear?.weights ?? [])).toEqual([0, 0.5, 0.2, 0.1, 0.2]);
    expect([...f.uses].sort()).toEqual(['complete', 'like', 'survey', 'watch']);
    const columns = [
      [0.9, 0.1],
      [0.2, 0.8],
      [0.0, 0.5],
      [0.1, 0.3],
      [0.5, 0.5],
    ];
    const scores = f.evaluate(columns);
    expect(scores[0]).toBeCloseTo(0.5 * 0.2 + 0 + 0.1 * 0.1 + 0.2 * 0.5, 12);
    expect(scores[1]).toBeCloseTo(0.5 * 0.8 + 0.2 * 0.5 + 0.1 * 0.3 + 0.2 * 0.5, 12);
  });

  it('folds subtraction, division by constants and unary minus into the linear weights', () => {
    const f = compileScoreFormula('(click - like/4) * 2 + -survey + 1', HEADS);
    expect(Array.from(f.linear?.weights ?? [])).toEqual([2, 0, 0, -0.5, -1]);
    expect(f.linear?.constant).toBe(1);
    expect(f.evaluate([[0.3], [0], [0], [0.4], [0.1]])[0]).toBeCloseTo(2 * (0.3 - 0.1) - 0.1 + 1, 12);
  });

  it('evaluates a nonlinear formula from its tree and agrees with evaluateOne', () => {
    const f = compileScoreFormula('click * watch^2 + log1p(like) + max(survey, 0.3)', HEADS);
    expect(f.linear).toBeNull();
    expect([...f.uses].sort()).toEqual(['click', 'like', 'survey', 'watch']);
    expect(() => f.evaluate([[0.5], [0.5]])).toThrow('score formula: expected 5 head columns, got 2');
    const row = { click: 0.4, watch: 0.7, complete: 0.2, like: 0.05, survey: 0.1 };
    const expected = 0.4 * 0.49 + Math.log1p(0.05) + 0.3;
    expect(f.evaluateOne(row)).toBeCloseTo(expected, 12);
    const scores = f.evaluate(HEADS.map((h) => [row[h], 0]));
    expect(scores[0]).toBeCloseTo(expected, 12);
    expect(scores[1]).toBeCloseTo(0.3, 12);
  });

  it('binds ^ tighter than unary minus and to the right, * and / to the left, and reads numbers as written', () => {
    const one = (text: string): number => compileScoreFormula(`${text} + 0*click`, HEADS).evaluateOne({ click: 0, watch: 0.5, complete: 0, like: 0, survey: 0 });
    expect(one('-2^2')).toBe(-4);
    expect(one('2^3^2')).toBe(512);
    expect(one('2^-1')).toBe(0.5);
    expect(one('8/4/2')).toBe(1);
    expect(one('2-3-4')).toBe(-5);
    expect(one('-(2-3)*+4')).toBe(4);
    expect(one('.5e1 + 1.25E-2 + 3.')).toBe(8.0125);
    expect(one('log(8, 2) + log(exp(1)) + min(3, 1, 2) + max(watch) + pow(2, 10) + abs(-1) + sqrt(9)')).toBeCloseTo(3 + 1 + 1 + 0.5 + 1024 + 1 + 3, 12);
  });

  it('folds only what is affine: a product or quotient of heads, a power and a division by zero stay formulas; constants scale with their terms', () => {
    for (const text of ['click*watch', 'click/watch', 'click/(watch+1)', 'click^2', 'click/(2-2)']) expect(compileScoreFormula(text, HEADS).linear, text).toBeNull();
    const f = compileScoreFormula('(click + 2) * 3 + 12.5*watch - .25*like + 1e-12*survey', HEADS);
    expect(Array.from(f.linear?.weights ?? [])).toEqual([3, 12.5, 0, -0.25, 1e-12]);
    expect(f.linear?.constant).toBe(6);
  });

  it('leaves a candidate the cascade dropped (NaN heads) at NaN, and stops on a value with no real number from real heads', () => {
    const f = compileScoreFormula('sqrt(click - 0.25) + watch', HEADS);
    const scores = f.evaluate([[0.5, Number.NaN], [0.1, Number.NaN], [0, 0], [0, 0], [0, 0]]);
    expect(scores[0]).toBeCloseTo(0.6, 12);
    expect(scores[1]).toBeNaN();
    expect(() => f.evaluate([[0.1], [0], [0], [0], [0]])).toThrow(/does not evaluate to a real number/);
  });

  it('names a product without its *, a function given the wrong number of arguments, and a formula cut short', () => {
    expect(formulaError('2click').message).toContain('"click" at character 2 follows a value with no operator between them (write * for a product)');
    expect(formulaError('0.5 watch').message).toContain('write * for a product');
    expect(formulaError('(click)(watch)').message).toContain('"(" at character 8 follows a value');
    expect(formulaError('pow(click)').message).toContain('pow takes 2 arguments, found 1');
    expect(formulaError('sqrt(click, 2)').message).toContain('sqrt takes 1 argument, found 2');
    expect(formulaError('log(click, 2, 3)').message).toContain('log takes 1 to 2 arguments, found 3');
    expect(formulaError('max()').message).toContain('max takes 1 or more arguments, found 0');
    expect(formulaError('(click + watch').message).toContain('it ends where ")" was expected');
    expect(formulaError('click # 2').message).toContain('unexpected "#" at character 7');
    expect(formulaError('click,watch').message).toContain('"," at character 6, where an operator or the end was expected');
  });

  it('names an unknown name and the allowed ones, with a suggestion', () => {
    const error = formulaError('0.5*wach + 0.5*click');
    expect(error.message).toContain('unknown name "wach"');
    expect(error.message).toContain('allowed names: click, watch, complete, like, survey)');
    expect(error.message).toMatch(/did you mean "watch"\?$/);
    // A near miss of a head is a typo: no hint to declare it as a weight.
    expect(error.message).not.toContain('score_params');
  });

  it('says when a formula names a head that is not configured', () => {
    const error = formulaError('click + return', ['click', 'watch']);
    expect(error.message).toContain('"return", which is not among the ranker\'s heads (click, watch)');
  });

  it('rejects syntax errors, unknown functions, assignments, strings and comparisons', () => {
    expect(formulaError('0.5*').message).toContain('is not a valid expression');
    expect(formulaError('').message).toContain('empty');
    expect(formulaError('foo(click)').message).toContain('unknown function "foo" in score formula "foo(click)" (allowed functions: abs, exp, log, log1p, max, min, pow, sqrt)');
    expect(formulaError('-wach + click').message).toContain('unknown name "wach"');
    expect(formulaError('constructor(click)').message).toContain('unknown function "constructor"');
    expect(formulaError('   ').message).toContain('empty');
    expect(formulaError('click = 1').message).toContain('operator "=" is not allowed');
    expect(formulaError('click = 1').message).not.toContain('not a valid expression');
    expect(formulaError('"x" + click').message).toMatch(/only numbers may appear as constants, found "x"$/);
    expect(formulaError("click + 'x'").message).toContain("only numbers may appear as constants, found 'x'");
    expect(formulaError('click + "x').message).toContain('found "x');
    expect(formulaError('click + )').message).toContain('")" at character 9, where a number, a name or "(" was expected');
    expect(formulaError('click > 0.5').message).toContain('not allowed');
    expect(formulaError('sqrt(-1) + click').message).toContain('does not evaluate to a real number');
  });
});

describe('named parameters in the score formula', () => {
  const BLEND = 'w*(0.9*click + 0.1*watch) + (1-w)*(0.1*click + 0.3*complete + 0.2*like + 0.4*survey)';

  function paramError(text: string, params: Readonly<Record<string, number>>): FormulaError {
    try {
      compileScoreFormula(text, HEADS, params);
    } catch (error) {
      expect(error).toBeInstanceOf(FormulaError);
      return error as FormulaError;
    }
    throw new Error(`expected "${text}" with ${JSON.stringify(params)} to be rejected`);
  }

  it('replaces each parameter by its value, so a blend of two weighted sums stays a dot product', () => {
    const clicks = compileScoreFormula(BLEND, HEADS, { w: 1 });
    const satisfaction = compileScoreFormula(BLEND, HEADS, { w: 0 });
    const half = compileScoreFormula(BLEND, HEADS, { w: 0.5 });
    // The end points are exactly the formulas written out: w = 1 and w = 0 change no run.
    expect(Array.from(clicks.linear?.weights ?? [])).toEqual(Array.from(compileScoreFormula('0.9*click + 0.1*watch', HEADS).linear?.weights ?? []));
    expect(Array.from(satisfaction.linear?.weights ?? [])).toEqual([0.1, 0, 0.3, 0.2, 0.4]);
    const weights = Array.from(half.linear?.weights ?? []);
    [0.5, 0.05, 0.15, 0.1, 0.2].forEach((w, h) => expect(weights[h]).toBeCloseTo(w, 15));
    expect(half.evaluateOne({ click: 1, watch: 0, complete: 0, like: 0, survey: 0 })).toBeCloseTo(0.5, 15);
  });

  it('takes parameters in nonlinear formulas and function arguments too', () => {
    const f = compileScoreFormula('max(click, floor_) * watch^p', HEADS, { floor_: 0.2, p: 2 });
    expect(f.linear).toBeNull();
    expect(f.evaluateOne({ click: 0.1, watch: 0.5, complete: 0, like: 0, survey: 0 })).toBeCloseTo(0.2 * 0.25, 15);
  });

  it('names an unknown name with the parameters among the allowed names, and says where a weight is declared', () => {
    const typo = paramError('ww*click + (1-w)*survey', { w: 0.5 });
    expect(typo.message).toContain('unknown name "ww"');
    expect(typo.message).toContain('parameters in recommender.score_params: w');
    const two = paramError('v*click + ww*watch', { v: 0.5, w: 0.5 });
    expect(two.message).toContain('(allowed names: click, watch, complete, like, survey; parameters in recommender.score_params: v, w)');
    expect(typo.message).toContain('did you mean "w"?');
    expect(typo.param).toBeUndefined();
    const undeclared = formulaError('w*click + (1-w)*survey');
    expect(undeclared.message).toContain('unknown name "w"');
    expect(undeclared.message).toContain('declared in recommender.score_params, e.g. score_params: { w: 0.5 }');
  });

  it('refuses a parameter the formula does not use, one named like a head or function, and one that is not finite', () => {
    const unused = paramError('w*click + (1-w)*survey', { w: 0.5, ww: 0.25 });
    expect(unused.param).toBe('ww');
    expect(unused.message).toContain('score parameter "ww" is not used by the score formula');
    expect(unused.message).toContain('did you mean "w"?');
    // The suggestion reads the weights inside calls and negations, never the heads.
    expect(paramError('max(-w1*click, watch)', { w1: 0.5, w2: 0.25 }).message).toContain('did you mean "w1"?');
    expect(paramError('click', { clicks: 0.5 }).message).not.toContain('did you mean');
    expect(paramError('click', { watch: 1 }).message).toContain('has the name of a ranker head');
    // A configured head that is not one of the built-in heads is refused too.
    expect(() => compileScoreFormula('ctr2', ['click', 'ctr2'], { ctr2: 1 })).toThrow('has the name of a ranker head');
    expect(paramError('click', { '2w': 1 }).message).toContain('score parameter "2w": expected a name of letters, digits and _');
    expect(paramError('click', { 'w-1': 1 }).message).toContain('expected a name of letters');
    expect(paramError('max(click, 1)', { max: 1 }).message).toContain('or a function');
    expect(paramError('w*click', { w: Number.POSITIVE_INFINITY }).message).toContain('expected a finite number');
  });
});

describe('the score formula in a scenario', () => {
  it('an unknown name in the formula is a validation error at the line of score:', async () => {
    const fixture = join('tests/fixtures/scenarios/bad', 'score-unknown-name.yaml');
    let error: unknown;
    try {
      await loadScenario(fixture);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const { problems, message } = error as ScenarioError;
    expect(message).toContain(`${fixture}:8`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: fixture, line: 8, path: 'recommender.score' });
    expect(problems[0].message).toContain('unknown name "wach"');
    expect(problems[0].message).toContain('allowed names: click, watch, like');
  });

  it('checks the default formula against configured heads, reported at the recommender', () => {
    const text = 'name: t\nhorizon: { days: 3 }\nrecommender:\n  kind: two_stage\n  ranker: { heads: [click, watch] }\n';
    expect(() => parseScenario(text, 'd.yaml')).toThrow(/d\.yaml:\d+:\d+: recommender[.:].*"complete", which is not among the ranker's heads/);
  });

  it('a parameter the formula does not use is reported at its own key, here from a --set as a sweep writes it', () => {
    const text = 'name: t\nhorizon: { days: 3 }\nrecommender:\n  kind: two_stage\n  score: "w*click + (1-w)*survey"\n  score_params: { w: 0.5 }\n';
    const ok = parseScenario(text, 'p.yaml', ['recommender.score_params.w=0.25']);
    expect(ok.recommender.kind === 'two_stage' && ok.recommender.score_params).toEqual({ w: 0.25 });
    let error: unknown;
    try {
      parseScenario(text, 'p.yaml', ['recommender.score_params.wt=0.25']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const { problems } = error as ScenarioError;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'recommender.score_params.wt', override: 'recommender.score_params.wt' });
    expect(problems[0].message).toContain('score parameter "wt" is not used by the score formula "w*click + (1-w)*survey"');
    expect(() => parseScenario(text.replace('score_params: { w: 0.5 }', 'score_params: { w: fast }'), 'p.yaml')).toThrow(/p\.yaml:6:\d+: recommender\.score_params\.w: expected a number/);
  });

  it('accepts the default two-stage scenario', () => {
    const scenario = parseScenario('name: t\nhorizon: { days: 3 }\nrecommender: { kind: two_stage }\n', 'ok.yaml');
    expect(scenario.recommender.kind).toBe('two_stage');
  });
});
