/**
 * The stretches of simulated time a reader must not read as the recommender's doing: the random
 * start-up (uniformly random slates) and, in an experiment, the days before `measure_from`, which
 * the means and differences leave out. Both start at day 0; where they overlap, one period carries
 * both labels, so shades never stack and labels never collide.
 */
import type { TimePeriod } from '../types.js';

export function shadedPeriods(randomStartupDays: number | undefined, measureFrom: number | undefined): TimePeriod[] {
  const spans = [
    { to: randomStartupDays ?? 0, label: 'random start-up' },
    { to: measureFrom ?? 0, label: 'not measured' },
  ].filter((s) => s.to > 0);
  const ends = Array.from(new Set(spans.map((s) => s.to))).sort((a, b) => a - b);
  return ends.map((to, i) => ({
    from: i === 0 ? 0 : ends[i - 1],
    to,
    label: spans.filter((s) => s.to >= to).map((s) => s.label).join(', '),
  }));
}
