/**
 * The sweep folder: an experiment folder whose arms are the grid's cells and whose replicas
 * are the seeds, so `recloop report` and `recloop query` read it as they read a compare folder.
 *
 *   scenario.resolved.yaml             the scenario without the grid's values
 *   sweep.json                         the grid, cells, seeds and fingerprint (deterministic)
 *   comparison.json                    every cell against the first, as `recloop compare` writes it (deterministic)
 *   experiment.json                    wall-clock figures and workers (vary between runs)
 *   arms/<cell>/seed-<n>/              a run folder as `recloop run --set <cell> --seed <n>` writes it,
 *                                      without its wall-clock files: scenario.resolved.yaml,
 *                                      metrics.jsonl, summary.json, calibration.json, impressions/
 *
 * A slice (`--shard i/n`) holds its own jobs' folders and slice.json instead of sweep.json and
 * comparison.json; `recloop merge` makes the whole folder from all n slices.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { compareArms, type Comparison } from '../experiment/comparison.js';
import type { ResolvedExperiment } from '../experiment/arms.js';
import type { JobResult } from '../experiment/job.js';
import type { MetricsRow } from '../run/summary.js';
import { parseScenario, toResolvedYaml, type Scenario } from '../scenario/index.js';
import { SweepError } from './errors.js';
import type { SweepPlan } from './plan.js';

export const SWEEP_FILES = {
  scenario: 'scenario.resolved.yaml',
  sweep: 'sweep.json',
  slice: 'slice.json',
  comparison: 'comparison.json',
  info: 'experiment.json',
  metrics: 'metrics.jsonl',
  summary: 'summary.json',
} as const;

const sweepInfoSchema = z.object({
  format: z.literal('recloop-sweep/1'),
  scenario: z.string(),
  fingerprint: z.string(),
  grid: z.array(z.object({ key: z.string(), values: z.array(z.string()) })),
  cells: z.array(z.object({ name: z.string(), overrides: z.array(z.string()) })).min(1),
  seeds: z.array(z.number().int()).min(1),
  logs: z.boolean(),
  /** Cells × seeds; job k is cell ⌊k / seeds⌋ with seed number k mod seeds. */
  jobs: z.number().int().positive(),
});

export const sliceInfoSchema = z.object({
  format: z.literal('recloop-sweep-slice/1'),
  shard: z.object({ index: z.number().int().nonnegative(), count: z.number().int().positive() }),
  jobs: z.array(z.number().int().nonnegative()),
  sweep: sweepInfoSchema,
});

export type SweepInfo = z.infer<typeof sweepInfoSchema>;
export type SliceInfo = z.infer<typeof sliceInfoSchema>;

export function sweepInfo(plan: SweepPlan): SweepInfo {
  return {
    format: 'recloop-sweep/1',
    scenario: plan.scenario.name,
    fingerprint: plan.fingerprint,
    grid: plan.axes.map((axis) => ({ key: axis.key, values: [...axis.values] })),
    cells: plan.cells.map((cell) => ({ name: cell.name, overrides: [...cell.overrides] })),
    seeds: [...plan.seeds],
    logs: plan.logs,
    jobs: plan.cells.length * plan.seeds.length,
  };
}

/** Job k's cell and seed. */
export function jobAt(info: Pick<SweepInfo, 'cells' | 'seeds'>, k: number): { cell: string; seed: number } {
  return { cell: info.cells[Math.floor(k / info.seeds.length)].name, seed: info.seeds[k % info.seeds.length] };
}

export function jobDir(root: string, cell: string, seed: number): string {
  return join(root, 'arms', cell, `seed-${seed}`);
}

export const toJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** One job's run folder, with the files `recloop run` would write for the cell and seed (no wall-clock ones). */
export async function writeJobFolder(root: string, cell: Scenario, cellName: string, result: JobResult): Promise<void> {
  const dir = jobDir(root, cellName, result.seed);
  await mkdir(dir, { recursive: true });
  const rows = result.arms[cellName];
  if (rows === undefined || result.summary === undefined) throw new Error(`job ${result.id}: no rows for cell ${cellName}`);
  await writeFile(join(dir, SWEEP_FILES.scenario), toResolvedYaml({ ...cell, seed: result.seed }));
  await writeFile(join(dir, SWEEP_FILES.metrics), rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
  await writeFile(join(dir, SWEEP_FILES.summary), toJson(result.summary));
  for (const [name, document] of Object.entries(result.files ?? {})) {
    if (!/^[\w-]+\.json$/.test(name)) throw new Error(`recommender asked to write "${name}"; expected a plain name ending in .json`);
    await writeFile(join(dir, name), toJson(document));
  }
}

/**
 * Compares the cells from the job folders on disk (so a sweep run at once and one merged from
 * slices compute from the same bytes) and writes comparison.json and sweep.json.
 */
export async function finishSweep(root: string, info: SweepInfo): Promise<Comparison> {
  const base = parseScenario(await readFile(join(root, SWEEP_FILES.scenario), 'utf8'), SWEEP_FILES.scenario);
  const rows = new Map<string, MetricsRow[][]>();
  const kinds = new Map<string, Scenario['recommender']>();
  for (const cell of info.cells) {
    const replicas: MetricsRow[][] = [];
    for (const seed of info.seeds) replicas.push(await readRows(jobDir(root, cell.name, seed)));
    rows.set(cell.name, replicas);
    const dir = jobDir(root, cell.name, info.seeds[0]);
    kinds.set(cell.name, parseScenario(await readFile(join(dir, SWEEP_FILES.scenario), 'utf8'), join(dir, SWEEP_FILES.scenario)).recommender);
  }
  const comparison = compareArms({ scenario: info.scenario, experiment: cellsAsArms(base, info, kinds), seeds: info.seeds, rows });
  await writeFile(join(root, SWEEP_FILES.comparison), toJson(comparison));
  await writeFile(join(root, SWEEP_FILES.sweep), toJson(info));
  return comparison;
}

/**
 * The cells as twin-world arms: paired by seed against the first cell. A cell may change what an
 * arm cannot (the world, the horizon): each runs its own scenario, and only epochs that end on
 * the same day as the first cell's are compared epoch by epoch.
 */
function cellsAsArms(base: Scenario, info: SweepInfo, recommenders: ReadonlyMap<string, Scenario['recommender']>): ResolvedExperiment {
  const arms = info.cells.map((cell, i) => ({
    name: cell.name,
    role: i === 0 ? ('control' as const) : ('treatment' as const),
    recommender: recommenders.get(cell.name) ?? base.recommender,
    traffic: 1,
    pooled: false,
  }));
  const config = {
    design: 'twin_worlds' as const,
    control: arms[0].name,
    arms: {},
    guardrails: base.experiment?.guardrails ?? {},
    pooled_training: false,
    measure_from: base.experiment?.measure_from ?? 0,
  };
  return { config, arms, control: arms[0] };
}

async function readRows(dir: string): Promise<MetricsRow[]> {
  const file = join(dir, SWEEP_FILES.metrics);
  const text = await readFile(file, 'utf8').catch(() => {
    throw new SweepError(`${file}: missing; the sweep folder is incomplete`);
  });
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as MetricsRow);
}
