/**
 * A sweep's plan, made before anything is written: the base scenario (with `--set` and
 * `--seed`), every cell's scenario loaded and checked like a `--set` (a bad key or value fails
 * the whole sweep, naming the `--grid` responsible), the seeds, and the fingerprint that tells
 * slices of the same sweep apart from others.
 */
import { createHash } from 'node:crypto';
import { resolvePlugins } from '../plugins/resolve.js';
import { withResourceCheck } from '../run/resource-check.js';
import { parseOverride } from '../scenario/overrides.js';
import { ScenarioError, formatProblem, loadScenario, toResolvedYaml, type Scenario, type ScenarioProblem } from '../scenario/index.js';
import { gridCells, type GridCell } from './cells.js';
import { SweepError } from './errors.js';
import { parseGrid, type GridAxis } from './grid.js';

export interface SweepCell extends GridCell {
  readonly scenario: Scenario;
  /** The cell's resolved scenario: what its jobs load. */
  readonly scenarioYaml: string;
}

export interface SweepPlan {
  /** The scenario without the grid's values. */
  readonly scenario: Scenario;
  readonly axes: readonly GridAxis[];
  readonly cells: readonly SweepCell[];
  readonly seeds: readonly number[];
  readonly logs: boolean;
  /** sha256 over the resolved scenario and every cell's, the seeds and whether logs are written. */
  readonly fingerprint: string;
}

export interface PlanInput {
  readonly file: string;
  /** `--set` overrides, applied to every cell before its grid values. */
  readonly set?: readonly string[];
  /** `--grid` options as given. */
  readonly grid: readonly string[];
  /** How many seeds each cell runs (default: the scenario's replicas): the scenario's seed (or `seed`), then seed + 1, ... */
  readonly seeds?: number;
  readonly seed?: number;
  readonly logs?: boolean;
  readonly onNote?: (note: string) => void;
}

export async function planSweep(input: PlanInput): Promise<SweepPlan> {
  if (input.seeds !== undefined && !(Number.isInteger(input.seeds) && input.seeds >= 1)) {
    throw new SweepError(`--seeds: expected a whole number of 1 or more, found ${input.seeds}`);
  }
  const axes = parseGrid(input.grid);
  const logs = input.logs ?? false;
  // Each job folder's scenario says whether it has a log, as a run's does.
  const baseOverrides = [...(input.set ?? []), ...(input.seed === undefined ? [] : [`seed=${input.seed}`]), `logs.impressions=${logs}`];
  const notes = new Set<string>();
  const note = (text: string): void => {
    if (!notes.has(text)) input.onNote?.(text);
    notes.add(text);
  };
  const scenario = await loadScenario(input.file, baseOverrides, { onNote: note, resolve: resolvePlugins });
  if (scenario.experiment !== undefined) {
    note(`${input.file}: a sweep compares its cells (the first is the control), not the experiment's arms; the experiment's measure_from and guardrails apply`);
  }
  const cells: SweepCell[] = [];
  const problems: string[] = [];
  for (const cell of gridCells(axes)) {
    try {
      const loaded = await loadScenario(input.file, [...baseOverrides, ...cell.overrides], { onNote: note, resolve: withResourceCheck(resolvePlugins) });
      cells.push({ ...cell, scenario: loaded, scenarioYaml: toResolvedYaml(loaded) });
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      for (const problem of error.problems) {
        const line = gridProblem(problem, cell);
        if (!problems.includes(line)) problems.push(line);
      }
    }
  }
  if (problems.length > 0) throw new SweepError(problems.join('\n'));
  const seeds = Array.from({ length: input.seeds ?? scenario.replicas }, (_, r) => scenario.seed + r);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ scenario: toResolvedYaml(scenario), cells: cells.map((cell) => [cell.name, cell.scenarioYaml]), seeds, logs }))
    .digest('hex');
  return { scenario, axes, cells, seeds, logs, fingerprint };
}

/** A problem a cell's value caused reads `--grid key=value: ...`; other problems keep their own place. */
function gridProblem(problem: ScenarioProblem, cell: GridCell): string {
  const line = formatProblem(problem);
  if (problem.override === undefined) return line;
  const own = cell.overrides.find((text) => {
    const parsed = parseOverride(text);
    return text === problem.override || (!('error' in parsed) && parsed.label === problem.override);
  });
  if (own === undefined) return line;
  return `--grid ${own}${line.slice(`--set ${problem.override}`.length)}`;
}
