/**
 * The SQL that names run data, so a query can say `FROM impressions` instead of spelling out
 * Parquet globs. Every view carries a `run` column first (the run folder's name); runs are
 * stacked with UNION ALL BY NAME, so a run with extra columns (a recommender's diagnostics,
 * a newer log schema) leaves NULLs in the others rather than failing.
 */
import { IMPRESSION_COLUMNS } from '../training/impression-buffer.js';
import { sqlString } from '../training/parquet-log.js';
import { RUN_FILES } from '../run/run-scenario.js';
import { join } from 'node:path';
import type { RunFolder } from './run-folders.js';

/** What a query can read, with one line each for help texts. */
export const QUERY_VIEWS = {
  impressions: `every logged impression (${IMPRESSION_COLUMNS.map((c) => c.name).join(', ')})`,
  metrics: 'one row per run and epoch: every metric in metrics.jsonl',
  timings: 'one row per run and epoch: wall-clock figures (serving latency, training time)',
  runs: 'one row per run: dir, scenario, seed, recommender, days, epochs, logged (impressions written); an imported log: scenario import:<format>, its logging policy as recommender',
  summary: 'one row per run and metric: first, last, mean and total (additive metrics) over epochs',
} as const;

export type QueryViewName = keyof typeof QUERY_VIEWS;

export function impressionsViewSql(runs: readonly RunFolder[]): string {
  const logged = runs.filter((run) => run.impressionFiles.length > 0);
  if (logged.length === 0) {
    // No run kept its log (--no-logs): an empty view with the log's columns, so queries still bind.
    const columns = IMPRESSION_COLUMNS.map((c) => `NULL::${c.sqlType} AS ${c.name}`).join(', ');
    return `CREATE VIEW impressions AS SELECT NULL::VARCHAR AS run, ${columns} WHERE false`;
  }
  const parts = logged.map((run) => {
    const files = run.impressionFiles.map(sqlString).join(', ');
    return `SELECT ${sqlString(run.name)} AS run, * FROM read_parquet([${files}], union_by_name = true)`;
  });
  return `CREATE VIEW impressions AS ${parts.join(' UNION ALL BY NAME ')}`;
}

export function metricsViewSql(runs: readonly RunFolder[]): string {
  const files = runs.filter((run) => run.hasMetrics).map((run) => ({ run: run.name, file: join(run.dir, RUN_FILES.metrics) }));
  // Only imported logs: no metrics, but the view still binds.
  if (files.length === 0) return 'CREATE VIEW metrics AS SELECT NULL::VARCHAR AS run, NULL::INTEGER AS epoch WHERE false';
  return jsonLinesView('metrics', files);
}

export function timingsViewSql(runs: readonly RunFolder[]): string {
  const files = runs.filter((run) => run.hasTimings).map((run) => ({ run: run.name, file: join(run.dir, RUN_FILES.timings) }));
  if (files.length === 0) return 'CREATE VIEW timings AS SELECT NULL::VARCHAR AS run, NULL::INTEGER AS epoch WHERE false';
  return jsonLinesView('timings', files);
}

function jsonLinesView(name: string, files: readonly { run: string; file: string }[]): string {
  const parts = files.map(
    ({ run, file }) => `SELECT ${sqlString(run)} AS run, * FROM read_json_auto(${sqlString(file)}, format = 'newline_delimited')`,
  );
  return `CREATE VIEW ${name} AS ${parts.join(' UNION ALL BY NAME ')}`;
}

export const RUNS_TABLE_SQL =
  'CREATE TABLE runs (run VARCHAR, dir VARCHAR, scenario VARCHAR, seed BIGINT, recommender VARCHAR, days DOUBLE, epochs INTEGER, logged BOOLEAN)';

export const SUMMARY_TABLE_SQL = 'CREATE TABLE summary (run VARCHAR, metric VARCHAR, first DOUBLE, last DOUBLE, mean DOUBLE, total DOUBLE)';
