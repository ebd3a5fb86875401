/**
 * `recommender.latency_budget_ms`: a number is the whole request's budget, a mapping one per
 * stage (and `total`). The schema takes both and says where a bad value is; the pipeline times
 * the whole request as well as each stage; the report draws each budget on its own panel.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCharts, loadReportData } from '../src/report/index.js';
import { scenarioInfo } from '../src/report/data/scenario-info.js';
import { parseScenario, ScenarioError } from '../src/scenario/index.js';
import { timingsRow, writeSyntheticRun } from './support/report-fixtures.js';
import { SMALL_SCENARIO, tempDir } from './support/scenarios.js';

const withBudget = (budget: string): string => `${SMALL_SCENARIO}  latency_budget_ms: ${budget}\n`;

function problemOf(text: string): string {
  try {
    parseScenario(text, 'budget.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as Error).message;
  }
  throw new Error('the scenario was accepted');
}

describe('latency_budget_ms in the scenario', () => {
  it('takes a total per request or a mapping per stage', () => {
    expect(parseScenario(withBudget('80'), 'budget.yaml').recommender.latency_budget_ms).toBe(80);
    expect(parseScenario(withBudget('{ retrieval: 10, ranking: 50 }'), 'budget.yaml').recommender.latency_budget_ms).toEqual({ retrieval: 10, ranking: 50 });
    expect(parseScenario(withBudget('{ ranking: 50, total: 80 }'), 'budget.yaml').recommender.latency_budget_ms).toEqual({ ranking: 50, total: 80 });
    expect(parseScenario(SMALL_SCENARIO, 'budget.yaml').recommender.latency_budget_ms).toBeUndefined();
  });

  it.each([
    ['-5', 'budget.yaml:14:22: recommender.latency_budget_ms: expected a number above 0, found -5'],
    ['fast', 'recommender.latency_budget_ms: expected milliseconds per request (e.g. 80) or per stage'],
    ['{ ranking: 0 }', 'budget.yaml:14:33: recommender.latency_budget_ms.ranking: expected a number above 0'],
    ['{ retreival: 10 }', 'recommender.latency_budget_ms'],
  ])('refuses %s, saying where and what was expected', (budget, says) => {
    expect(problemOf(withBudget(budget))).toContain(says);
  });
});

describe('latency budget in the report', () => {
  it('reads a plain number as the whole request\'s budget and a mapping as per-stage budgets', () => {
    expect(scenarioInfo('recommender:\n  latency_budget_ms: 80\n').latencyBudgetMs).toEqual({ total: 80 });
    expect(scenarioInfo('recommender:\n  latency_budget_ms: { retrieval: 10, total: 90 }\n').latencyBudgetMs).toEqual({ retrieval: 10, total: 90 });
  });

  it('draws a total budget on the whole-request panel, against the measured total latency', async () => {
    const dir = writeSyntheticRun(join(tempDir('recloop-budget-'), 'run'), 5);
    writeFileSync(join(dir, 'scenario.resolved.yaml'), 'name: budget\nrecommender:\n  kind: two_stage\n  latency_budget_ms: 80\n');
    const rows = Array.from({ length: 5 }, (_, e) => ({ ...timingsRow(e), latency_total_p50_ms: 40 + e, latency_total_p95_ms: 70 + e }));
    writeFileSync(join(dir, 'timings.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const chart = buildCharts(await loadReportData(dir)).find((c) => c.id === 'latency');
    const spec = JSON.stringify(chart?.spec);
    expect(spec).toContain('Whole request');
    expect(spec).toContain('budget 80 ms');
    expect(new Set(spec.match(/budget \d+ ms/g))).toEqual(new Set(['budget 80 ms'])); // no stage panel claims it
    expect(chart?.caption).toContain('budget');
  });
});
