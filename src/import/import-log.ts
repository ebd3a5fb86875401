/**
 * `recloop import`: an external log read, checked and written as a recloop folder of kind
 * `import` (impressions/log.parquet in the impression log's columns, import.json saying what
 * came from where, items.parquet when the source has an item table). The folder is staged and
 * moved into place only once everything is written, so a bad file leaves any earlier import of
 * the same --out untouched.
 */
import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { StagedOutput } from '../run/output-dir.js';
import { ImportError } from './import-error.js';
import { layoutColumns, obdLayout, type ImportFormat, type LogLayout } from './layout.js';
import { parseLog, type ParsedLog } from './parse-log.js';
import { readCsvTable } from './csv-table.js';
import { readSourceTable, type SourceTable } from './source-table.js';
import { writeImportedLog, IMPORTED_LOG_FILE } from './write-log.js';
import { writeItems, ITEMS_FILE } from './write-items.js';

export const IMPORT_FILE = 'import.json';
const OBD_ITEMS = 'item_context.csv';

/** The generic layout's columns, as the command line names them (the `csv` format). */
export type CsvLayoutOptions = Omit<LogLayout, 'format' | 'positionBase' | 'features'> & {
  readonly positionBase?: 0 | 1;
  readonly features?: readonly string[];
};

export interface ImportRequest {
  readonly format: ImportFormat;
  /** A file; for `obd` also the campaign folder holding it and item_context.csv. */
  readonly path: string;
  readonly outDir: string;
  readonly force: boolean;
  /** The logging policy's name for the `arm` column; default: OBD's policy folder (random, bts), else "logged". */
  readonly arm?: string;
  /** For `csv`: which column holds what. */
  readonly columns?: CsvLayoutOptions;
}

/** import.json: what a reader (recloop query, recloop ope-log) needs to know about the log. */
export interface ImportDocument {
  readonly format: ImportFormat;
  readonly source: { readonly log: string; readonly items: string | null };
  readonly arm: string;
  readonly rows: number;
  readonly clicks: number;
  readonly slates: number;
  /** Slots a slate has: the layout's, else the largest logged position + 1. */
  readonly slots: number;
  /** Catalog size: the item table's length, else the largest logged item id + 1. */
  readonly items: number;
  readonly has_propensity: boolean;
  readonly has_user: boolean;
  /** The time the log spans, in days, and its whole days (the `epoch` column counts them from 0). */
  readonly days: number;
  readonly epochs: number;
  /** `time` is in days from `origin` (ISO), or as the file gave them (origin null). */
  readonly time: { readonly unit: 'days'; readonly origin: string | null };
  /** How rows became slates: each row its own, or by a column's ids. */
  readonly slates_from: string;
  /** Which source column filled each role (item, position, click, …), and its first slot's number. */
  readonly columns: Readonly<Record<string, string>>;
  readonly position_base: 0 | 1;
  readonly features: readonly string[];
}

export async function importLog(request: ImportRequest): Promise<{ dir: string; document: ImportDocument }> {
  const { file, itemsFile } = await locate(request);
  const table = await readSourceTable(file);
  const layout = layoutOf(request, table);
  const log = parseLog(table, layout);
  const itemTable = itemsFile === undefined ? undefined : await readCsvTable(itemsFile);
  const arm = request.arm ?? (request.format === 'obd' ? basename(dirname(dirname(file))) : 'logged');
  const staged = await StagedOutput.create(request.outDir, request.force, 'import');
  try {
    await writeImportedLog(staged.dir, log, { arm, source: request.format });
    const listed = itemTable === undefined ? undefined : await writeItems(staged.dir, itemTable);
    const document = describe(request.format, { log: file, items: itemsFile ?? null }, arm, layout, log, listed);
    await writeFile(join(staged.dir, IMPORT_FILE), `${JSON.stringify(document, null, 2)}\n`);
    await staged.commit();
    return { dir: request.outDir, document };
  } catch (error) {
    await staged.discard();
    throw error;
  }
}

/** The log file, and for OBD the item table beside it. */
async function locate(request: ImportRequest): Promise<{ file: string; itemsFile?: string }> {
  const info = await stat(request.path).catch(() => undefined);
  if (!info) throw new ImportError(`${request.path}: no such file or folder`);
  if (!info.isDirectory()) {
    const beside = join(dirname(request.path), OBD_ITEMS);
    return request.format === 'obd' && existsSync(beside) ? { file: request.path, itemsFile: beside } : { file: request.path };
  }
  if (request.format !== 'obd') throw new ImportError(`${request.path}: a folder; the csv format reads one CSV or Parquet file`);
  const csvs = (await readdir(request.path)).filter((name) => extname(name) === '.csv' && name !== OBD_ITEMS).sort();
  if (csvs.length !== 1) {
    throw new ImportError(
      `${request.path}: expected one campaign log (<campaign>.csv) beside ${OBD_ITEMS}, found ${csvs.length === 0 ? 'none' : csvs.join(', ')}; name the file instead`,
    );
  }
  const itemsFile = join(request.path, OBD_ITEMS);
  return { file: join(request.path, csvs[0]), ...(existsSync(itemsFile) ? { itemsFile } : {}) };
}

function layoutOf(request: ImportRequest, table: SourceTable): LogLayout {
  if (request.format === 'obd') return obdLayout(table.header);
  const columns = request.columns;
  if (columns === undefined) throw new ImportError('the csv format needs its columns named: at least --item and --click (or --reward)');
  return { ...columns, format: 'csv', positionBase: columns.positionBase ?? 0, features: columns.features ?? [] };
}

function describe(
  format: ImportFormat,
  source: ImportDocument['source'],
  arm: string,
  layout: LogLayout,
  log: ParsedLog,
  listedItems: number | undefined,
): ImportDocument {
  let clicks = 0;
  let maxItem = -1;
  let maxPosition = -1;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < log.rows; r++) {
    first = Math.min(first, log.time[r]);
    last = Math.max(last, log.time[r]);
    clicks += log.clicked[r];
    maxItem = Math.max(maxItem, log.itemId[r]);
    maxPosition = Math.max(maxPosition, log.position[r]);
  }
  return {
    format,
    source,
    arm,
    rows: log.rows,
    clicks,
    slates: new Set(log.slateId).size,
    slots: layout.slots ?? maxPosition + 1,
    items: Math.max(listedItems ?? 0, maxItem + 1),
    has_propensity: log.propensity !== undefined,
    days: last - first,
    epochs: Math.floor(last) - Math.floor(first) + 1,
    has_user: log.userId !== undefined,
    time: { unit: 'days', origin: log.timeOrigin ?? null },
    slates_from: layout.slate === undefined ? 'each row is its own slate' : `column ${layout.slate}`,
    columns: Object.fromEntries(layoutColumns(layout).filter((c) => c.role !== 'feature').map((c) => [c.role, c.column])),
    position_base: layout.positionBase,
    features: layout.features,
  };
}

export { IMPORTED_LOG_FILE, ITEMS_FILE };
