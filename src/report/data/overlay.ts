/**
 * Several run folders → one ReportData, a series per run, for runs `recloop compare` cannot hold
 * (ε-greedy against Thompson in the bandit world, runs of different scenarios). Each run is named
 * by its folder; the runs must share a time axis, and only run folders can be overlaid (an
 * experiment already has its arms; OPE and fit-check folders have no series).
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ReportData, ReportFact } from '../types.js';
import { COMPARISON_FILE } from './compare-folder.js';
import { FIT_CHECK_FILE, OPE_LOG_FILE } from './logged-folders.js';
import { OPE_FILE } from './ope-folder.js';
import { ReportInputError } from './read-files.js';
import { RUN_INPUTS } from './run-folder.js';
import { pooledSeeds, seedsOnly } from './seed-pool.js';

/** `load` reads one folder (loadReportData); passed in so this file needs no folder detection of its own. */
export async function loadOverlay(dirs: readonly string[], load: (dir: string) => Promise<ReportData>): Promise<ReportData> {
  const runs = await Promise.all(dirs.map(load));
  for (const run of runs) {
    if (run.kind !== 'run') {
      const file = [COMPARISON_FILE, OPE_FILE, OPE_LOG_FILE, FIT_CHECK_FILE].find((f) => existsSync(join(run.dir, f)));
      throw new ReportInputError(`${run.dir}: has ${file}, but only run folders (${RUN_INPUTS.metrics}) can be overlaid; report it on its own`);
    }
    if (run.time.unit !== runs[0].time.unit) {
      throw new ReportInputError(`${run.dir}: counts ${run.time.unit}s, but ${runs[0].dir} counts ${runs[0].time.unit}s; overlaid runs need one time axis (all bandit runs, or all population runs)`);
    }
  }
  const names = seriesNames(dirs);
  if (seedsOnly(runs)) return seedPool(runs);
  const rename = <T extends { readonly arm: string }>(items: readonly T[], i: number): T[] => items.map((item) => ({ ...item, arm: names[i] }));
  const scenarios = Array.from(new Set(runs.map((r) => r.name)));
  const same = <T>(pick: (run: ReportData) => T): T | undefined => {
    const first = JSON.stringify(pick(runs[0]));
    return runs.every((run) => JSON.stringify(pick(run)) === first) ? pick(runs[0]) : undefined;
  };
  return {
    kind: 'runs',
    dir: runs.map((r) => r.dir).join(', '),
    name: scenarios.join(' vs '),
    description: same((r) => r.description),
    scenarioYaml: same((r) => r.scenarioYaml),
    arms: names,
    replicas: 1,
    level: runs[0].level,
    time: runs[0].time,
    metrics: Array.from(new Set(runs.flatMap((r) => r.metrics))),
    series: runs.flatMap((r, i) => rename(r.series, i)),
    summaries: runs.flatMap((r, i) => rename(r.summaries, i)),
    diffs: [],
    oracleDiffs: [],
    slopes: [],
    // What holds for one run is drawn only when it holds for all of them.
    latencyBudgetMs: same((r) => r.latencyBudgetMs) ?? {},
    servingStages: runs.some((r) => r.servingStages),
    periods: same((r) => r.periods) ?? [],
    references: same((r) => r.references) ?? {},
    facts: runs.map((run, i): ReportFact => ({ label: names[i], value: runFact(run) })),
    notes: [],
  };
}

/** Runs that differ only in seed: one arm (the recommender), the mean over seeds with its interval. */
function seedPool(runs: readonly ReportData[]): ReportData {
  const first = runs[0];
  const arm = first.arms[0];
  return {
    ...first,
    kind: 'runs',
    dir: runs.map((r) => r.dir).join(', '),
    replicas: runs.length,
    ...pooledSeeds(runs, arm, first.level),
    // A single run's calibration table is one seed's; the pooled report does not pick one.
    calibration: undefined,
    facts: [
      ...first.facts.filter((f) => f.label !== 'Seed' && f.label !== 'Replicas' && f.label !== 'Wall time'),
      { label: 'Seeds', value: runs.map((run) => run.facts.find((f) => f.label === 'Seed')?.value ?? 'unknown').join(', ') },
      { label: 'Replicas', value: `${runs.length} runs that differ only in seed (${Math.round(first.level * 100)}% intervals over seeds)` },
    ],
    notes: [],
  };
}

/** Folder names, or the paths as given where two folders share a name. */
function seriesNames(dirs: readonly string[]): string[] {
  if (new Set(dirs.map((d) => resolve(d))).size !== dirs.length) throw new ReportInputError(`the same run folder is given twice: ${dirs.join(', ')}`);
  const names = dirs.map((dir) => basename(resolve(dir)));
  return new Set(names).size === names.length ? names : [...dirs];
}

function runFact(run: ReportData): string {
  const seed = run.facts.find((f) => f.label === 'Seed')?.value;
  return `${run.name}, ${run.arms[0]}${seed === undefined ? '' : `, seed ${seed}`}`;
}
