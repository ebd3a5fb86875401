/**
 * One arm's slice of an epoch's impression log (rows whose `arm` column names the arm), for
 * arms that train on their own traffic only.
 */
import { ImpressionBuffer } from '../training/impression-buffer.js';
import type { LogChunk } from '../training/training-log.js';

export function armChunk(chunk: LogChunk, arm: string): LogChunk {
  const source = chunk.impressions;
  const code = source.codeOf(arm);
  const { slate_row, slates } = source.columns;
  let rows = 0;
  for (let i = 0; i < slate_row.length; i++) if (slates.arm[slate_row[i]] === code) rows++;
  const impressions = new ImpressionBuffer(Math.max(1, rows));
  if (code >= 0) {
    for (let i = 0; i < slate_row.length; i++) if (slates.arm[slate_row[i]] === code) impressions.append(source.row(i));
  }
  return { epoch: chunk.epoch, start: chunk.start, end: chunk.end, impressions };
}
