/**
 * An experiment with an oracle arm: every other arm's figures are also taken against the oracle
 * (paired by seed, relative to the oracle's mean), and `recloop compare` prints them for the
 * metrics read that way (homogenization after Chaney et al. 2018).
 */
import { describe, expect, it } from 'vitest';
import { resolveExperiment } from '../src/experiment/arms.js';
import { compareArms } from '../src/experiment/comparison.js';
import { formatComparison } from '../src/experiment/table.js';
import type { MetricsRow } from '../src/run/summary.js';
import { parseScenario } from '../src/scenario/index.js';

const scenario = (arms: string, guardrails = '{}'): string =>
  `name: t\nhorizon: { days: 4 }\nrecommender: { kind: popularity }\nreplicas: 3\nexperiment: { control: greedy, arms: { ${arms} }, guardrails: ${guardrails} }\n`;
const rows = (homogenization: (seed: number) => number, ctr = 0.1): MetricsRow[][] =>
  [0, 1, 2].map((seed) => Array.from({ length: 4 }, (_, e) => ({ epoch: e, day_start: e, day_end: e + 1, ctr, homogenization: homogenization(seed) })));

describe('an oracle arm', () => {
  it('is the reference of every other arm’s vs_oracle, paired by seed and relative to its mean', () => {
    const experiment = resolveExperiment(parseScenario(scenario('greedy: {}, explore: { kind: random }, ideal: { kind: oracle }', '{ ctr: 0.05 }'), 't.yaml'));
    const comparison = compareArms({
      scenario: 't',
      experiment,
      seeds: [1, 2, 3],
      rows: new Map([
        ['greedy', rows((s) => 0.3 + 0.01 * s)],
        ['explore', rows((s) => 0.1 + 0.01 * s)],
        ['ideal', rows((s) => 0.2 + 0.01 * s)],
      ]),
    });
    expect(comparison.oracle).toBe('ideal');
    // Guardrails judge designs, not the oracle baseline.
    expect(comparison.guardrails.map((g) => g.arm)).toEqual(['explore']);
    const greedy = comparison.metrics.homogenization.arms.greedy.vs_oracle;
    // The same gap at every seed: +0.1 with no spread, relative to the oracle's mean 0.21.
    expect(greedy?.diff).toBeCloseTo(0.1, 12);
    expect(greedy?.relative).toBeCloseTo(0.1 / 0.21, 12);
    expect(comparison.metrics.homogenization.arms.explore.vs_oracle?.diff).toBeCloseTo(-0.1, 12);
    expect(comparison.metrics.homogenization.arms.ideal.vs_oracle).toBeUndefined();
    // vs_control is still against the control.
    expect(comparison.metrics.homogenization.arms.explore.vs_control?.diff).toBeCloseTo(-0.2, 12);

    const text = formatComparison(comparison, ['ctr']);
    const lines = text.split('\n');
    const at = lines.findIndex((line) => line.startsWith('against the oracle baseline (arm ideal'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {2}homogenization\s+greedy\s+\+0\.1000 .*\+47\.6% of the oracle's/);
    expect(lines[at + 2]).toMatch(/^ {2}homogenization\s+explore\s+-0\.1000 .*-47\.6% of the oracle's/);
    expect(text).not.toMatch(/ctr\s+greedy\s+\+0\.0000/);
  });

  it('leaves comparisons without one as they were', () => {
    const experiment = resolveExperiment(parseScenario(scenario('greedy: {}, explore: { kind: random }'), 't.yaml'));
    const comparison = compareArms({ scenario: 't', experiment, seeds: [1, 2, 3], rows: new Map([['greedy', rows(() => 0.3)], ['explore', rows(() => 0.1)]]) });
    expect('oracle' in comparison).toBe(false);
    expect('vs_oracle' in comparison.metrics.homogenization.arms.explore).toBe(false);
    expect(formatComparison(comparison)).not.toContain('oracle');
  });
});
