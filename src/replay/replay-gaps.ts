/**
 * The replay's figures per metric: over the measured epochs of each replayed run, the run's own
 * mean, its design replayed, the widened design replayed, and their gap; then over runs, the mean
 * gap with its t interval (runs of several seeds are the replicas). `drift` is how far the replay
 * of the design strays from the run itself: a feedback loop amplifies any change in what is shown,
 * so a gap no larger than the drift is not one a team should act on from one seed.
 */
import { mean, meanInterval } from '../experiment/stats.js';
import { epochMean, type MetricRow } from '../metrics/index.js';

/** What the replay compares: the spread of what users see, and how they answered it. */
export const REPLAY_METRICS = {
  diversity: ['user_topic_entropy_median', 'user_topic_entropy_p10', 'intra_list_diversity', 'catalog_coverage', 'impression_gini', 'long_tail_share', 'recommended_popularity', 'homogenization'],
  satisfaction: ['ctr', 'mean_true_satisfaction', 'watch_minutes_per_impression', 'mean_session_satisfaction'],
} as const;

/** One replayed run's measured epochs: the run as it was, its design replayed, the widened design replayed. */
export interface ReplayedRows {
  readonly run: readonly MetricRow[];
  readonly replayed: readonly MetricRow[];
  readonly widened: readonly MetricRow[];
}

export interface ReplayGap {
  readonly metric: string;
  readonly group: keyof typeof REPLAY_METRICS;
  /** Means over the measured epochs, then over runs. */
  readonly run: number | null;
  readonly replayed: number | null;
  readonly widened: number | null;
  /** Mean over runs of widened − replayed, its 95% interval (null with one run) and its share of |replayed|. */
  readonly gap: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly relative: number | null;
  /** Mean over runs of |run − replayed|. */
  readonly drift: number | null;
  /** widened − replayed per run, and per run and measured epoch. */
  readonly per_run: readonly (number | null)[];
  readonly per_epoch: readonly (readonly (number | null)[])[];
}

export function replayGaps(runs: readonly ReplayedRows[]): ReplayGap[] {
  const gaps: ReplayGap[] = [];
  for (const group of ['diversity', 'satisfaction'] as const) {
    for (const metric of REPLAY_METRICS[group]) {
      const meanOf = (rows: readonly MetricRow[]): number | null => epochMean(metric, rows) ?? null;
      const each = runs.map((rows) => ({ run: meanOf(rows.run), replayed: meanOf(rows.replayed), widened: meanOf(rows.widened) }));
      const perRun = each.map(({ replayed, widened }) => (replayed !== null && widened !== null ? widened - replayed : null));
      const known = perRun.filter((x): x is number => x !== null);
      const interval = known.length > 0 ? meanInterval(known) : undefined;
      const replayed = average(each.map((e) => e.replayed));
      const gap = interval?.estimate ?? null;
      gaps.push({
        metric,
        group,
        run: average(each.map((e) => e.run)),
        replayed,
        widened: average(each.map((e) => e.widened)),
        gap,
        low: interval?.low ?? null,
        high: interval?.high ?? null,
        relative: gap !== null && replayed !== null && replayed !== 0 ? gap / Math.abs(replayed) : null,
        drift: average(each.map((e) => (e.run !== null && e.replayed !== null ? Math.abs(e.run - e.replayed) : null))),
        per_run: perRun,
        per_epoch: runs.map((rows) => rows.widened.map((row, e) => epochGap(metric, row, rows.replayed[e]))),
      });
    }
  }
  return gaps;
}

function epochGap(metric: string, widened: MetricRow, replayed: MetricRow | undefined): number | null {
  const a = epochMean(metric, [widened]);
  const b = replayed === undefined ? undefined : epochMean(metric, [replayed]);
  return a !== undefined && b !== undefined ? a - b : null;
}

/** The mean of the known values; null when none is known. */
function average(values: readonly (number | null)[]): number | null {
  const known = values.filter((x): x is number => x !== null);
  return known.length === 0 ? null : mean(known);
}
