/**
 * An item table beside a log (OBD's item_context.csv: item_id and four features) written as
 * items.parquet: item_id as a whole number, every other named column a feature (numbers when
 * every value is one, text otherwise). The file's unnamed index column is left out.
 */
import { join } from 'node:path';
import { ImportError } from './import-error.js';
import { writeParquet } from './parquet-writer.js';
import type { SourceTable } from './source-table.js';
import { featureColumn, wholeNumber } from './values.js';
import { featureParquetColumn } from './write-log.js';

export const ITEMS_FILE = 'items.parquet';

/** Writes `<dir>/items.parquet`; returns how many items it lists. */
export async function writeItems(dir: string, table: SourceTable): Promise<number> {
  const idColumn = table.header.indexOf('item_id');
  if (idColumn < 0) throw new ImportError(`${table.file}: missing column "item_id"; an item table needs one`);
  const seen = new Set<number>();
  const ids = table.rows.map((row) => {
    const id = wholeNumber(row.values[idColumn].trim(), () => `${table.where(row.line)}: item_id`);
    if (seen.has(id)) throw new ImportError(`${table.where(row.line)}: item_id: item ${id} is listed twice`);
    seen.add(id);
    return id;
  });
  const features = table.header.flatMap((name, k) =>
    name === '' || k === idColumn ? [] : [featureColumn(name, table.rows.map((row) => row.values[k].trim()))],
  );
  await writeParquet(join(dir, ITEMS_FILE), [{ name: 'item_id', sqlType: 'INTEGER', value: (r) => ids[r] }, ...features.map(featureParquetColumn)], ids.length);
  return ids.length;
}
