import { describe, expect, it } from 'vitest';
import { Rng } from '../src/rng/index.js';
import type { ChoiceModel } from '../src/world/choice/choice-model.js';
import { CascadeChoice } from '../src/world/choice/cascade.js';
import { MultinomialLogitChoice } from '../src/world/choice/mnl.js';
import { buildChoiceModel, CHOICE_MODELS } from '../src/world/choice/registry.js';
import { parseScenario, ScenarioError } from '../src/scenario/index.js';

function clickRates(model: ChoiceModel, utilities: number[], draws: number, seed: string): number[] {
  const rng = new Rng(seed);
  const counts = new Array<number>(utilities.length + 1).fill(0);
  for (let i = 0; i < draws; i++) counts[model.choose(utilities, rng) + 1]++;
  return counts.map((c) => c / draws); // index 0 is "no click"
}

describe('multinomial logit with position bias', () => {
  it('matches its closed-form probabilities', () => {
    const u = [1, 0.5, 0, -0.5];
    const bias = 0.8;
    const noClick = 0.7;
    const weights = u.map((x, p) => bias ** p * Math.exp(x));
    const total = weights.reduce((a, b) => a + b, 0) + Math.exp(noClick);
    const expected = [Math.exp(noClick) / total, ...weights.map((w) => w / total)];
    const draws = 200_000;
    const rates = clickRates(new MultinomialLogitChoice(bias, noClick), u, draws, 'mnl-closed-form');
    rates.forEach((rate, k) => {
      const se = Math.sqrt((expected[k] * (1 - expected[k])) / draws);
      expect(Math.abs(rate - expected[k])).toBeLessThan(4 * se);
    });
  });

  it('position bias measurably lowers the click rate of the same item at lower positions', () => {
    const u = new Array<number>(10).fill(0.5);
    const rates = clickRates(new MultinomialLogitChoice(0.85, 1.5), u, 200_000, 'mnl-position');
    for (let p = 1; p < u.length; p++) expect(rates[p + 1]).toBeLessThan(rates[p]);
    // Position 9 is examined 0.85^9 ≈ 0.23 as often as position 0.
    expect(rates[10] / rates[1]).toBeGreaterThan(0.19);
    expect(rates[10] / rates[1]).toBeLessThan(0.28);
  });

  it('without position bias, equal items are clicked equally often', () => {
    const rates = clickRates(new MultinomialLogitChoice(1, 1.5), [0.5, 0.5, 0.5, 0.5], 200_000, 'mnl-flat');
    const mean = (rates[1] + rates[2] + rates[3] + rates[4]) / 4;
    for (let p = 1; p <= 4; p++) expect(Math.abs(rates[p] - mean)).toBeLessThan(0.01);
  });

  it('a higher no-click utility means fewer clicks', () => {
    const u = [0, 0, 0];
    const low = clickRates(new MultinomialLogitChoice(0.9, 0), u, 50_000, 'nc')[0];
    const high = clickRates(new MultinomialLogitChoice(0.9, 2), u, 50_000, 'nc')[0];
    expect(high).toBeGreaterThan(low + 0.2);
  });
});

describe('cascade', () => {
  it('clicks the top more than lower positions and follows its closed form at the top', () => {
    const u = [0.5, 0.5, 0.5, 0.5, 0.5];
    const noClick = 1;
    const bias = 0.8;
    const draws = 200_000;
    const rates = clickRates(new CascadeChoice(bias, noClick), u, draws, 'cascade');
    const attract = 1 / (1 + Math.exp(noClick - 0.5));
    // P(click at p) = attract · ((1 - attract) · bias)^p
    for (let p = 0; p < u.length; p++) {
      const expected = attract * ((1 - attract) * bias) ** p;
      const se = Math.sqrt((expected * (1 - expected)) / draws);
      expect(Math.abs(rates[p + 1] - expected)).toBeLessThan(4 * se + 1e-4);
    }
  });
});

describe('click probabilities (the ground truth off-policy evaluation measures against)', () => {
  it('multinomial logit gives bias^p·exp(u_p) over the total with the no-click weight', () => {
    const probs = new MultinomialLogitChoice(0.5, 0).clickProbabilities([0, Math.log(2)]);
    // Weights: 1 (no click), 1, 0.5·2 = 1: a third each.
    expect(probs[0]).toBeCloseTo(1 / 3, 12);
    expect(probs[1]).toBeCloseTo(1 / 3, 12);
  });

  it('cascade reaches a slot only past earlier slots without a click', () => {
    const probs = new CascadeChoice(0.5, 0).clickProbabilities([0, 0, 0]);
    // Each examined slot is clicked with sigmoid(0) = 1/2; moving on costs another 1/2.
    expect(Array.from(probs)).toEqual([0.5, 0.125, 0.03125]);
  });

  it.each(CHOICE_MODELS.map((entry) => [entry.name]))('the %s model draws clicks at its own click probabilities', (name) => {
    const model = buildChoiceModel(parseScenario(`name: t\nhorizon: { days: 1 }\nrecommender: { kind: random }\nworld: { choice: { model: ${name} } }\n`, 't.yaml').world.choice);
    const u = [0.9, 1.6, 0.2, -0.4, 1.1];
    const expected = model.clickProbabilities(u);
    const draws = 200_000;
    const rates = clickRates(model, u, draws, `truth-${name}`);
    const noClick = 1 - expected.reduce((a, b) => a + b, 0);
    expect(Math.abs(rates[0] - noClick)).toBeLessThan(4.5 * Math.sqrt((noClick * (1 - noClick)) / draws));
    expected.forEach((e, p) => expect(Math.abs(rates[p + 1] - e)).toBeLessThan(4.5 * Math.sqrt((e * (1 - e)) / draws)));
  });
});

describe('choice model registry', () => {
  it('builds the model the scenario names, and mnl when it names none', () => {
    const choiceOf = (yaml: string) => parseScenario(`name: t\nhorizon: { days: 1 }\nrecommender: { kind: random }\n${yaml}`, 't.yaml').world.choice;
    expect(buildChoiceModel(choiceOf('world: { choice: { model: cascade } }\n'))).toBeInstanceOf(CascadeChoice);
    expect(buildChoiceModel(choiceOf(''))).toBeInstanceOf(MultinomialLogitChoice);
  });

  it('reports an unknown model at its line, with the registered names', () => {
    const yaml = 'name: t\nhorizon: { days: 1 }\nrecommender: { kind: random }\nworld:\n  choice: { model: probit }\n';
    const error = (() => {
      try {
        parseScenario(yaml, 't.yaml');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems[0]).toMatchObject({
      line: 5,
      path: 'world.choice.model',
      message: `unknown choice model "probit" (expected one of: ${CHOICE_MODELS.map((entry) => entry.name).join(', ')})`,
    });
  });
});
