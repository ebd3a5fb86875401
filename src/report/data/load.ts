/**
 * Loads a report's input, whichever folder it is: a compare folder (comparison.json), a run
 * folder (metrics.jsonl, population or bandit), or an OPE folder (ope.json); or several run
 * folders, overlaid.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportData } from '../types.js';
import { COMPARISON_FILE, loadCompareFolder } from './compare-folder.js';
import { loadOpeFolder, OPE_FILE } from './ope-folder.js';
import { loadOverlay } from './overlay.js';
import { ReportInputError } from './read-files.js';
import { loadRunFolder, RUN_INPUTS } from './run-folder.js';

export async function loadReportData(dir: string): Promise<ReportData> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ReportInputError(`${dir}: no such folder`);
  if (existsSync(join(dir, COMPARISON_FILE))) return loadCompareFolder(dir);
  if (existsSync(join(dir, RUN_INPUTS.metrics))) return loadRunFolder(dir);
  if (existsSync(join(dir, OPE_FILE))) return loadOpeFolder(dir);
  throw new ReportInputError(
    `${dir}: not a run folder (${RUN_INPUTS.metrics}), a compare folder (${COMPARISON_FILE}) or an OPE folder (${OPE_FILE})`,
  );
}

/** One folder as it is; several run folders as one report with a series per run. */
export async function loadReportInputs(dirs: readonly string[]): Promise<ReportData> {
  if (dirs.length === 0) throw new ReportInputError('no folder to report on');
  return dirs.length === 1 ? loadReportData(dirs[0]) : loadOverlay(dirs, loadReportData);
}
