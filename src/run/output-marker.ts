/**
 * How recloop tells its own result folders from anything else, so `--force` can never delete
 * what recloop did not write. Every folder it stages (run, bandit run, compare, sweep, slice,
 * merge, OPE, replay, imported log, OPE on imported logs, fitted world, its check, classic study) holds a small marker file; folders written before the marker existed are
 * recognised by the files only a finished recloop folder holds.
 */
import { lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

export const MARKER_FILE = '.recloop.json';
const WRITTEN_BY = 'recloop';

/** What a staged folder holds; written into the marker so a reader can tell kinds apart without guessing. */
export const OUTPUT_KINDS = ['run', 'bandit', 'compare', 'sweep', 'sweep-slice', 'ope', 'replay', 'import', 'ope-log', 'fit', 'fit-check', 'classic'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

export async function writeMarker(dir: string, kind: OutputKind): Promise<void> {
  await writeFile(join(dir, MARKER_FILE), `${JSON.stringify({ written_by: WRITTEN_BY, kind })}\n`);
}

/** The folder's marker, if recloop wrote one; `kind` is undefined for a kind this version does not know. */
export function readMarker(dir: string): { readonly kind: OutputKind | undefined } | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(join(dir, MARKER_FILE), 'utf8'));
    if (typeof value !== 'object' || value === null || !('written_by' in value) || value.written_by !== WRITTEN_BY) return undefined;
    const kind = 'kind' in value ? value.kind : undefined;
    return { kind: OUTPUT_KINDS.find((k) => k === kind) };
  } catch {
    return undefined;
  }
}

/**
 * Folders from before the marker: the resolved scenario beside one of the files recloop writes
 * last (run.json, summary.json, experiment.json, ope.json, sweep.json, slice.json).
 */
const LEGACY_SCENARIO = 'scenario.resolved.yaml';
const LEGACY_RESULTS = ['run.json', 'summary.json', 'experiment.json', 'ope.json', 'sweep.json', 'slice.json'];

/** A folder recloop wrote: its marker, or (older folders) the files only recloop's folders hold together. */
export function isRecloopFolder(dir: string): boolean {
  if (readMarker(dir) !== undefined) return true;
  const names = entries(dir);
  return names.includes(LEGACY_SCENARIO) && LEGACY_RESULTS.some((name) => names.includes(name));
}

/**
 * Why `--force` may not replace `target`, or undefined when it may: it is missing, an empty
 * folder, or a folder recloop wrote. The reason is one line that says what is there.
 */
export function refusalToReplace(target: string): string | undefined {
  let info: Stats;
  try {
    info = lstatSync(target);
  } catch {
    return undefined;
  }
  const where = resolve(target);
  const need = '--force replaces only a folder recloop wrote (it holds .recloop.json) or an empty folder';
  const other = 'choose another --out, or move it away yourself';
  if (info.isSymbolicLink()) return `${target} is a symbolic link, not a result folder; ${need}; ${other}`;
  if (!info.isDirectory()) return `${target} is a file, not a result folder; ${need}; ${other}`;
  const cwd = process.cwd();
  if (where === cwd || isInside(cwd, where)) {
    return `${target} is ${where === cwd ? 'the current folder' : `a folder that holds the current folder (${cwd})`}; --force never replaces it; choose another --out`;
  }
  // The root folder always holds the current one, so it is refused above.
  if (where === homedir()) return `${target} is the home folder; --force never replaces it; choose another --out`;
  const names = entries(target);
  if (names.length === 0 || isRecloopFolder(target)) return undefined;
  const runs = names.filter((name) => !name.startsWith('.') && isDirectory(join(target, name)) && isRecloopFolder(join(target, name)));
  const shown = (list: readonly string[]): string => `${list.slice(0, 3).join(', ')}${list.length > 3 ? `, … (${list.length} in all)` : ''}`;
  if (runs.length > 0) {
    return `${target} holds result folders (${shown(runs)}) but was not written by recloop itself; --force replaces one result folder, never a folder of them; name the one to replace with --out`;
  }
  return `${target} is a folder recloop did not write (it holds ${shown(names)}); ${need}; ${other}`;
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `inner` is strictly below `outer`. */
function isInside(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel);
}
