/**
 * Pareto efficiency on two metrics, each with its own better direction: a point is dominated
 * when another is at least as good on both and strictly better on one; the rest are the
 * frontier. Directions come from the metrics' declarations (`better`), so a "lower is better"
 * metric (a latency, a concentration) is read the right way round.
 */
import type { Better } from '../metrics/declaration.js';

export interface TradeOffPoint {
  readonly x: number;
  readonly y: number;
}

export interface Directions {
  readonly x: Better;
  readonly y: Better;
}

/**
 * For each point, the index of the first point that dominates it, or -1 when none does (the
 * point is on the frontier). Equal points do not dominate each other: both stay on it.
 */
export function dominators(points: readonly TradeOffPoint[], better: Directions): number[] {
  // Both metrics turned into "higher is better".
  const sx = better.x === 'higher' ? 1 : -1;
  const sy = better.y === 'higher' ? 1 : -1;
  return points.map((p) =>
    points.findIndex((q) => {
      const dx = sx * (q.x - p.x);
      const dy = sy * (q.y - p.y);
      return dx >= 0 && dy >= 0 && (dx > 0 || dy > 0);
    }),
  );
}

/** The indices of the frontier's points, ordered along the x axis (the order its line joins them). */
export function frontierOrder(points: readonly TradeOffPoint[], better: Directions): number[] {
  const by = dominators(points, better);
  return points
    .map((p, i) => ({ p, i }))
    .filter(({ i }) => by[i] === -1)
    .sort((a, b) => a.p.x - b.p.x || a.i - b.i)
    .map(({ i }) => i);
}
