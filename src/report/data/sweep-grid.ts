/**
 * A sweep folder's grid (sweep.json, from `recloop sweep` or `recloop merge`): its axes and each
 * cell's value on them, so the report can label a cell by what was swept. Read loosely, like the
 * scenario: only the grid and the cells are needed, and a folder without sweep.json has none.
 */
import { z } from 'zod';
import type { SweepView } from '../types.js';
import { readOptionalJson } from './read-files.js';

export const SWEEP_FILE = 'sweep.json';

const sweepGridSchema = z.looseObject({
  grid: z.array(z.looseObject({ key: z.string(), values: z.array(z.string()) })),
  cells: z.array(z.looseObject({ name: z.string(), overrides: z.array(z.string()) })),
});

export async function readSweepGrid(dir: string): Promise<Omit<SweepView, 'frontier'> | undefined> {
  const file = await readOptionalJson(dir, SWEEP_FILE, sweepGridSchema);
  if (file === undefined) return undefined;
  const axes = file.grid.map((axis) => ({ key: axis.key, values: [...axis.values] }));
  // A cell's overrides are `key=value` in axis order; the value is everything after the first `=`.
  const cells = file.cells.map((cell) => ({ name: cell.name, values: cell.overrides.map((o) => o.slice(o.indexOf('=') + 1)) }));
  return { axes, cells };
}
