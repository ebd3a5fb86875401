/**
 * Finding run folders to query. A run folder is a directory holding metrics.jsonl (what every
 * finished run writes). A path given by the user is either a run folder itself or a folder
 * searched below for run folders (output/ holds one per scenario; sweeps may nest deeper).
 * Other folders recloop writes are read for what they hold: a compare or sweep folder for its
 * arms' run folders, a bandit run as a run of rounds (no epochs, no summary table rows), an
 * imported log (`recloop import`, marker kind `import`) for its impressions alone; an OPE folder
 * has no metrics.jsonl and is passed over.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { RUN_FILES } from '../run/run-scenario.js';
import { readMarker } from '../run/output-marker.js';
import { QueryError } from './errors.js';

export interface RunFolder {
  /** What the `run` column says: the folder's name, or its path below the searched folder. */
  readonly name: string;
  readonly dir: string;
  /** Parquet impression logs in file (epoch) order; empty for runs made with --no-logs. */
  readonly impressionFiles: readonly string[];
  readonly hasTimings: boolean;
  readonly hasSummary: boolean;
  /** A population run (epochs, summary.json of metrics), a bandit run (rounds, its own summary.json) or an imported log (impressions only). */
  readonly kind: 'run' | 'bandit' | 'import';
  /** Whether it has metrics.jsonl (an imported log has none). */
  readonly hasMetrics: boolean;
}

/** Run folders at or below each path, named uniquely; throws QueryError when a path is missing or holds no run. */
export async function findRunFolders(paths: readonly string[]): Promise<RunFolder[]> {
  const found: { name: string; dir: string }[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new QueryError(`${path}: no such folder`);
    if (!info.isDirectory()) throw new QueryError(`${path}: not a folder; expected a run folder or a folder of runs`);
    if (isRunFolder(path)) {
      found.push({ name: basename(resolve(path)), dir: path });
      continue;
    }
    const below = await runFoldersBelow(path);
    if (below.length === 0) {
      throw new QueryError(`${path}: no run folders found (a run folder holds ${RUN_FILES.metrics}, an imported log import.json; make one with: recloop run <scenario>, or recloop import)`);
    }
    for (const dir of below) found.push({ name: relative(path, dir).split('\\').join('/'), dir });
  }
  const unique = disambiguate(found);
  return Promise.all(unique.map(async ({ name, dir }) => describe(name, dir)));
}

function isRunFolder(dir: string): boolean {
  return existsSync(join(dir, RUN_FILES.metrics)) || isImportedLog(dir);
}

/** `recloop import` wrote it: its impressions are a log like a run's, without metrics. */
function isImportedLog(dir: string): boolean {
  return readMarker(dir)?.kind === 'import';
}

/** Depth-first, sorted by name; hidden folders (runs still being written are staged in `.name.tmp-*`) are skipped. */
async function runFoldersBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const child = join(dir, entry.name);
    if (isRunFolder(child)) out.push(child);
    else out.push(...(await runFoldersBelow(child)));
  }
  return out;
}

/** The same folder given twice counts once; different folders with the same name are named by their path instead. */
function disambiguate(found: readonly { name: string; dir: string }[]): { name: string; dir: string }[] {
  const byDir = new Map<string, { name: string; dir: string }>();
  for (const run of found) if (!byDir.has(resolve(run.dir))) byDir.set(resolve(run.dir), run);
  const runs = [...byDir.values()];
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.name, (counts.get(run.name) ?? 0) + 1);
  return runs.map((run) => ((counts.get(run.name) ?? 0) > 1 ? { name: run.dir.split('\\').join('/'), dir: run.dir } : run));
}

async function describe(name: string, dir: string): Promise<RunFolder> {
  const logDir = join(dir, RUN_FILES.impressions);
  const logs = existsSync(logDir) ? await readdir(logDir) : [];
  return {
    name,
    dir,
    impressionFiles: logs.filter((f) => f.endsWith('.parquet')).sort().map((f) => join(logDir, f)),
    hasTimings: existsSync(join(dir, RUN_FILES.timings)),
    hasSummary: existsSync(join(dir, RUN_FILES.summary)),
    hasMetrics: existsSync(join(dir, RUN_FILES.metrics)),
    kind: isImportedLog(dir) ? 'import' : isBanditRun(dir) ? 'bandit' : 'run',
  };
}

/** Its marker says so, or (folders from before the marker) its summary.json names the bandit world. */
export function isBanditRun(dir: string): boolean {
  const marker = readMarker(dir);
  if (marker !== undefined) return marker.kind === 'bandit';
  try {
    const summary: unknown = JSON.parse(readFileSync(join(dir, RUN_FILES.summary), 'utf8'));
    return typeof summary === 'object' && summary !== null && 'world' in summary && summary.world === 'bandit';
  } catch {
    return false;
  }
}
