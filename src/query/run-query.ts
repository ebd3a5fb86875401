/**
 * SQL over run folders: one in-memory DuckDB database with views over the runs' Parquet logs
 * and JSON files (see views.ts), so `recloop query` and notebooks can ask questions such as
 * click-through by arm and day across several runs without knowing where the files are.
 */
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { QueryError } from './errors.js';
import { readBanditSummaryHead, readImportHead, readRunSummary } from './run-files.js';
import { findRunFolders, type RunFolder } from './run-folders.js';
import { toQueryValue, type QueryResult } from './values.js';
import {
  QUERY_VIEWS,
  RUNS_TABLE_SQL,
  SUMMARY_TABLE_SQL,
  impressionsViewSql,
  metricsViewSql,
  timingsViewSql,
} from './views.js';

/** Where `recloop run` writes by default, and so where queries look unless told otherwise. */
export const DEFAULT_RUNS_DIR = 'output';

export class RunQuery {
  private closed = false;

  private constructor(
    /** The runs the views cover, in the order found. */
    readonly runs: readonly RunFolder[],
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /**
   * Opens a database over every run folder at or below `paths` (default: output/). Throws
   * QueryError when a path is missing or holds no run.
   */
  static async open(paths: readonly string[] = [DEFAULT_RUNS_DIR]): Promise<RunQuery> {
    const runs = await findRunFolders(paths.length > 0 ? paths : [DEFAULT_RUNS_DIR]);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const query = new RunQuery(runs, instance, connection);
    try {
      await query.createViews();
    } catch (error) {
      query.close();
      throw error instanceof QueryError ? error : new QueryError(`cannot read the run folders: ${message(error)}`);
    }
    return query;
  }

  /** Runs SQL (the last statement's rows are returned); a DuckDB error becomes a QueryError with DuckDB's message. */
  async query(sql: string): Promise<QueryResult> {
    if (this.closed) throw new Error('RunQuery is closed');
    const reader = await this.connection.runAndReadAll(sql).catch((error: unknown) => {
      throw new QueryError(sqlErrorText(error));
    });
    return { columns: reader.columnNames(), rows: reader.getRowsJS().map((row) => row.map(toQueryValue)) };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async createViews(): Promise<void> {
    await this.connection.run(impressionsViewSql(this.runs));
    await this.connection.run(metricsViewSql(this.runs));
    await this.connection.run(timingsViewSql(this.runs));
    await this.connection.run(RUNS_TABLE_SQL);
    await this.connection.run(SUMMARY_TABLE_SQL);
    const runs = await this.connection.createAppender('runs');
    const summary = await this.connection.createAppender('summary');
    for (const run of this.runs) {
      if (run.kind === 'bandit') {
        await appendBanditRun(runs, run);
        continue;
      }
      if (run.kind === 'import') {
        await appendImportedLog(runs, run);
        continue;
      }
      const s = run.hasSummary ? await readRunSummary(run.dir) : undefined;
      runs.appendVarchar(run.name);
      runs.appendVarchar(run.dir);
      if (s) {
        runs.appendVarchar(s.scenario);
        runs.appendBigInt(BigInt(s.seed));
        runs.appendVarchar(s.recommender);
        runs.appendDouble(s.days);
        runs.appendInteger(s.epochs);
      } else {
        for (let i = 0; i < 5; i++) runs.appendNull();
      }
      runs.appendBoolean(run.impressionFiles.length > 0);
      runs.endRow();
      if (!s) continue;
      for (const metric of Object.keys(s.mean)) {
        summary.appendVarchar(run.name);
        summary.appendVarchar(metric);
        for (const value of [s.first[metric], s.last[metric], s.mean[metric], s.totals[metric]]) {
          if (value === undefined || value === null) summary.appendNull();
          else summary.appendDouble(value);
        }
        summary.endRow();
      }
    }
    runs.closeSync();
    summary.closeSync();
  }
}

/** A bandit run has rounds, not epochs or days, and its summary is not a table of metrics: only its name, seed and policy. */
async function appendBanditRun(runs: DuckDBAppender, run: RunFolder): Promise<void> {
  const head = run.hasSummary ? await readBanditSummaryHead(run.dir) : undefined;
  runs.appendVarchar(run.name);
  runs.appendVarchar(run.dir);
  if (head) {
    runs.appendVarchar(head.scenario);
    runs.appendBigInt(BigInt(head.seed));
    runs.appendVarchar(head.policy);
  } else {
    for (let i = 0; i < 3; i++) runs.appendNull();
  }
  runs.appendNull();
  runs.appendNull();
  runs.appendBoolean(false);
  runs.endRow();
}

/** An imported log has no scenario or seed: its format as the scenario (`import:obd`), its logging policy as the recommender. */
async function appendImportedLog(runs: DuckDBAppender, run: RunFolder): Promise<void> {
  const head = await readImportHead(run.dir);
  runs.appendVarchar(run.name);
  runs.appendVarchar(run.dir);
  runs.appendVarchar(`import:${head.format}`);
  runs.appendNull();
  runs.appendVarchar(head.arm);
  runs.appendDouble(head.days);
  runs.appendInteger(head.epochs);
  runs.appendBoolean(run.impressionFiles.length > 0);
  runs.endRow();
}

/** Opens, runs one query, closes: for one-off questions. */
export async function queryRuns(sql: string, paths: readonly string[] = [DEFAULT_RUNS_DIR]): Promise<QueryResult> {
  const query = await RunQuery.open(paths);
  try {
    return await query.query(sql);
  } finally {
    query.close();
  }
}

/** DuckDB's own message (it names the error kind and position), plus the view names when a table is unknown. */
function sqlErrorText(error: unknown): string {
  const text = message(error);
  const unknownTable = /Catalog Error: Table with name/.test(text);
  return unknownTable ? `${text}\n(the tables are: ${Object.keys(QUERY_VIEWS).join(', ')})` : text;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
