import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every file of a run folder that README says is reproducible, by relative path. */
export function reproducibleFiles(dir: string): string[] {
  const top = readdirSync(dir).filter((f) => f !== 'timings.jsonl' && f !== 'run.json' && f !== 'impressions' && !f.startsWith('report'));
  const parquet = readdirSync(join(dir, 'impressions')).map((f) => join('impressions', f));
  return [...top, ...parquet].sort();
}
