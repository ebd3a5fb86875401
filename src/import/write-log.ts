/**
 * Writes an imported log as recloop's impression log: one Parquet file with the columns a run's
 * log has (IMPRESSION_COLUMNS, in order and with their types), then what the source adds
 * (`reward`, `timestamp`, the feature columns under their own names). What the source cannot
 * know (watch time, completions, likes, surveys, the session context; the user when no column
 * names one) is NULL, never a made-up 0.
 */
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { IMPRESSION_COLUMNS, type ImpressionColumnName } from '../training/impression-buffer.js';
import type { FeatureColumn, ParsedLog } from './parse-log.js';
import { ident, writeParquet, type Cell, type Column } from './parquet-writer.js';

/** The log's file inside the folder's impressions/ (the folder a run keeps its epochs in). */
export const IMPORTED_LOG_FILE = 'log.parquet';

export interface LogLabels {
  /** The logging policy, in the `arm` column. */
  readonly arm: string;
  /** Where the rows came from, in the `source` column (the import format). */
  readonly source: string;
}

/** Writes `<dir>/impressions/log.parquet`; returns its path. */
export async function writeImportedLog(dir: string, log: ParsedLog, labels: LogLabels): Promise<string> {
  const folder = join(dir, 'impressions');
  await mkdir(folder, { recursive: true });
  const file = join(folder, IMPORTED_LOG_FILE);
  await writeParquet(file, [...impressionColumns(log, labels), ...extraColumns(log)], log.rows);
  return file;
}

function impressionColumns(log: ParsedLog, labels: LogLabels): Column[] {
  const { timestampMicros } = log;
  const values: Record<ImpressionColumnName, (row: number) => Cell> = {
    time: (r) => log.time[r],
    // Whole days since the start, so `epoch AS day` reads as it does for a run.
    epoch: (r) => Math.floor(log.time[r]),
    slate_id: (r) => log.slateId[r],
    user_id: (r) => (log.userId ? log.userId[r] : null),
    item_id: (r) => log.itemId[r],
    position: (r) => log.position[r],
    arm: () => labels.arm,
    source: () => labels.source,
    propensity: (r) => (log.propensity ? log.propensity[r] : null),
    clicked: (r) => log.clicked[r] === 1,
    watch_minutes: () => null,
    watch_fraction: () => null,
    completed: () => null,
    liked: () => null,
    survey: () => null,
    hour_of_day: (r) => (timestampMicros ? new Date(timestampMicros[r] / 1000).getUTCHours() : null),
    past_sessions: () => null,
    request_in_session: () => null,
  };
  return IMPRESSION_COLUMNS.map((c) => ({ name: c.name, sqlType: c.sqlType, value: values[c.name] }));
}

function extraColumns(log: ParsedLog): Column[] {
  const out: Column[] = [];
  const { reward, timestampMicros } = log;
  if (reward) out.push({ name: 'reward', sqlType: 'DOUBLE', value: (r) => reward[r] });
  if (timestampMicros) {
    // Whole microseconds travel exactly as a double (below 2^53) and become a UTC timestamp.
    const select = `make_timestamp(CAST(${ident('timestamp')} AS BIGINT))::TIMESTAMPTZ`;
    out.push({ name: 'timestamp', sqlType: 'DOUBLE', value: (r) => timestampMicros[r], select });
  }
  for (const feature of log.features) out.push(featureParquetColumn(feature));
  return out;
}

export function featureParquetColumn(feature: FeatureColumn): Column {
  if (feature.kind === 'number') {
    const values = feature.values;
    return { name: feature.name, sqlType: 'DOUBLE', value: (r) => values[r] };
  }
  const values = feature.values;
  return { name: feature.name, sqlType: 'VARCHAR', value: (r) => (values[r] === '' ? null : values[r]) };
}
