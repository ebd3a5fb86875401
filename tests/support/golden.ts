/**
 * Golden outputs: what a team reads from a short run (per-epoch metrics, summary, the report's
 * summary table, a comparison and its console table), as stable text. JSON keys are sorted, so
 * only a change of value (not of column order) changes a file; machine facts (wall clock,
 * timings, model backend) are left out.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runBanditScenario } from '../../src/bandit/run-bandit.js';
import { EXPERIMENT_FILES, runExperiment } from '../../src/experiment/run-experiment.js';
import { formatComparison } from '../../src/experiment/table.js';
import { backendName } from '../../src/ml/backend.js';
import { loadReportData } from '../../src/report/data/load.js';
import { summaryMarkdown } from '../../src/report/markdown.js';
import { RUN_FILES, runScenario } from '../../src/run/run-scenario.js';
import { isBanditScenario, loadAnyScenario, loadScenario } from '../../src/scenario/index.js';

export const GOLDEN_DIR = join(import.meta.dirname, '..', 'golden');

/** The golden cases: folder names under tests/golden, each holding its scenario.yaml. */
export const GOLDEN_CASES = ['baseline', 'two_stage', 'bandit', 'compare'] as const;
export type GoldenCase = (typeof GOLDEN_CASES)[number];

/** Where a case's model backend is recorded: its float results hold only on that backend. */
export const BACKEND_FILE = 'BACKEND';

export interface GoldenRun {
  /** File name → text, as stored in tests/golden/<case>/. */
  readonly files: ReadonlyMap<string, string>;
  /** The tfjs backend the run's models used, or undefined when it has none. */
  readonly backend: string | undefined;
}

/** Runs a golden case's scenario into `outDir` and renders its golden files. */
export async function runGoldenCase(name: GoldenCase, outDir: string): Promise<GoldenRun> {
  const file = join(GOLDEN_DIR, name, 'scenario.yaml');
  const files = new Map<string, string>();
  if (name === 'compare') {
    const outcome = await runExperiment(await loadScenario(file), { outDir, workers: 0 });
    files.set('comparison.json', stableJson(outcome.comparison));
    files.set('table.txt', formatComparison(outcome.comparison));
    await rm(join(outcome.dir, EXPERIMENT_FILES.info));
    files.set('summary.md', summaryMarkdown(await loadReportData(outcome.dir)));
    return { files, backend: undefined };
  }
  const scenario = await loadAnyScenario(file);
  const outcome = isBanditScenario(scenario) ? await runBanditScenario(scenario, { outDir }) : await runScenario(scenario, { outDir });
  files.set('metrics.jsonl', outcome.rows.map((row) => `${stableLine(row)}\n`).join(''));
  files.set('summary.json', stableJson(outcome.summary));
  for (const machineFile of [RUN_FILES.timings, RUN_FILES.runInfo]) {
    if (existsSync(join(outcome.dir, machineFile))) await rm(join(outcome.dir, machineFile));
  }
  files.set('summary.md', summaryMarkdown(await loadReportData(outcome.dir)));
  return { files, backend: name === 'two_stage' ? backendName() : undefined };
}

/** JSON with every object's keys sorted, two-space indented, ending in a newline. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function stableLine(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
