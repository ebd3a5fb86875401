/**
 * The cells of a grid: its cross product, the first axis varying slowest and every axis in the
 * order its values were given. A cell is named from its values, `key=value` joined by commas
 * (`recommender.window=2,world.users.count=500`); the name is its folder and its arm.
 */
import type { GridAxis } from './grid.js';

export interface GridCell {
  readonly name: string;
  /** `key=value` for each axis, in axis order: the cell's `--set` overrides. */
  readonly overrides: readonly string[];
}

export function gridCells(axes: readonly GridAxis[]): GridCell[] {
  let cells: string[][] = [[]];
  for (const axis of axes) cells = cells.flatMap((cell) => axis.values.map((value) => [...cell, `${axis.key}=${value}`]));
  return cells.map((overrides) => ({ name: overrides.join(','), overrides }));
}
