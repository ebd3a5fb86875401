/**
 * Where a scatter's point labels go: right of each point, moved down just enough not to overprint
 * a label already placed near it. Vega-Lite has no label placement of its own, and the cells of a
 * sweep often lie close together (two weights that rank alike), so the layout is done here in
 * data units, from the plot's size in pixels and the extent of what it draws.
 */

export interface LabelPoint {
  readonly x: number;
  readonly y: number;
}

export interface PlotExtent {
  /** Every x and y value the plot draws (points, interval ends): the scales' domains. */
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** The plot's size in pixels. */
  readonly width: number;
  readonly height: number;
}

/** A label's line height and its width allowance in pixels (font size 11, a short `w=0.25`). */
const LINE = 14;
const WIDTH = 70;

/** Each label's y, in data units, in the order of the points. */
export function labelYs(points: readonly LabelPoint[], extent: PlotExtent): number[] {
  const span = (values: readonly number[]) => Math.max(...values) - Math.min(...values) || 1;
  const yPerPixel = span(extent.ys) / extent.height;
  const xPerPixel = span(extent.xs) / extent.width;
  const placed: { x: number; y: number }[] = [];
  const out = points.map((p) => p.y);
  // Top to bottom: a label that collides moves below the one above it.
  const order = points.map((_, i) => i).sort((a, b) => points[b].y - points[a].y || points[a].x - points[b].x);
  for (const i of order) {
    let y = points[i].y;
    for (const other of [...placed].sort((a, b) => b.y - a.y)) {
      const near = Math.abs(other.x - points[i].x) / xPerPixel < WIDTH;
      if (near && Math.abs(other.y - y) / yPerPixel < LINE) y = Math.min(y, other.y - LINE * yPerPixel);
    }
    out[i] = y;
    placed.push({ x: points[i].x, y });
  }
  return out;
}
