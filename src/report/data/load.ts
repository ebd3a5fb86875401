/**
 * Loads a report's input, whichever folder it is: a compare folder (comparison.json), a run
 * folder (metrics.jsonl, population or bandit), an OPE folder (ope.json, or ope-log.json from real
 * logs) or a fitted world's check (fit-check.json); or several run folders, overlaid.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportData } from '../types.js';
import { COMPARISON_FILE, loadCompareFolder } from './compare-folder.js';
import { FIT_CHECK_FILE, loadFitCheckFolder, loadOpeLogFolder, OPE_LOG_FILE } from './logged-folders.js';
import { loadOpeFolder, OPE_FILE } from './ope-folder.js';
import { loadOverlay } from './overlay.js';
import { ReportInputError } from './read-files.js';
import { loadRunFolder, RUN_INPUTS } from './run-folder.js';

export async function loadReportData(dir: string): Promise<ReportData> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ReportInputError(`${dir}: no such folder`);
  if (existsSync(join(dir, COMPARISON_FILE))) return loadCompareFolder(dir);
  if (existsSync(join(dir, RUN_INPUTS.metrics))) return loadRunFolder(dir);
  if (existsSync(join(dir, OPE_FILE))) return loadOpeFolder(dir);
  if (existsSync(join(dir, OPE_LOG_FILE))) return loadOpeLogFolder(dir);
  if (existsSync(join(dir, FIT_CHECK_FILE))) return loadFitCheckFolder(dir);
  throw new ReportInputError(
    `${dir}: not a run folder (${RUN_INPUTS.metrics}), a compare folder (${COMPARISON_FILE}), an OPE folder (${OPE_FILE} or ${OPE_LOG_FILE}) or a fitted world's check (${FIT_CHECK_FILE})`,
  );
}

/** One folder as it is; several run folders as one report with a series per run. */
export async function loadReportInputs(dirs: readonly string[]): Promise<ReportData> {
  if (dirs.length === 0) throw new ReportInputError('no folder to report on');
  return dirs.length === 1 ? loadReportData(dirs[0]) : loadOverlay(dirs, loadReportData);
}
