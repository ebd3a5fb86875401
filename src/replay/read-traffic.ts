/**
 * The traffic a run served, read back from its impression log: one row per slate (its first
 * position), in the order it was served. A real system's request log holds the same.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '../run/run-scenario.js';
import { ReplayedTraffic, type TrafficSlate } from '../simulation/replayed-traffic.js';
import { withMemoryDuckDB } from '../training/memory-duckdb.js';
import { sqlString } from '../training/parquet-log.js';
import { ReplayInputError } from './replay-input-error.js';

export async function readTraffic(runDir: string): Promise<ReplayedTraffic> {
  const dir = join(runDir, RUN_FILES.impressions);
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => /^epoch-\d+\.parquet$/.test(name)) : [];
  if (files.length === 0) {
    throw new ReplayInputError(`${runDir}: no impression log (${RUN_FILES.impressions}/epoch-*.parquet) to replay; run the scenario with --logs`);
  }
  const list = files.map((name) => sqlString(join(dir, name))).join(', ');
  return withMemoryDuckDB(async (connection) => {
    const reader = await connection.runAndReadAll(
      `SELECT time, user_id, request_in_session, hour_of_day FROM read_parquet([${list}]) WHERE position = 0 ORDER BY time, slate_id`,
    );
    const slates: TrafficSlate[] = reader.getRowsJS().map(([time, userId, inSession, hourOfDay], row) => {
      if (typeof time !== 'number' || typeof userId !== 'number' || typeof inSession !== 'number' || typeof hourOfDay !== 'number') {
        throw new ReplayInputError(`${dir}: slate ${row} lacks its time, user_id, request_in_session or hour_of_day (a log written before the request context was logged cannot be replayed)`);
      }
      return { time, userId, requestInSession: inSession, hourOfDay };
    });
    return new ReplayedTraffic(slates);
  });
}
