/**
 * Slice fairness: click-through and true satisfaction per user slice, so a design review can
 * see who a recommender serves well and who it serves badly. Slices are the user's device and
 * their tenure (`new`: signed up during the run, less than `NEW_USER_DAYS` days before the
 * slate; `established` otherwise, including the whole initial population) and their taste
 * (`majority` or `minority`, `TasteDimension`). Columns are `<metric>_slice_<dimension>_<value>`,
 * e.g. `ctr_slice_device_tv`; a slice with nothing in it this epoch reads 0.
 */
import { ensureLength, ratio } from './arrays.js';
import { metricFamily, type PatternDeclaration } from './declaration.js';
import type { EpochBounds, Metric, SimEvent, WorldView } from './types.js';
import { DEVICES } from '../world/public.js';

/** `<metric>_slice_<dimension>_<value>` reads like its base metric, restricted to the slice. */
const SLICE_COLUMN: PatternDeclaration = {
  pattern: /^(.+)_slice_(.+)$/,
  declare: (match, lookup) => {
    const base = lookup(match[1]);
    return { ...base, label: `${base.label} · ${match[2].replace(/_/g, ' ')}`, chart: null, headline: false };
  },
};

/** Users younger than this (days since sign-up) are in the `new` tenure slice. */
export const NEW_USER_DAYS = 7;

export interface SliceDimension {
  readonly name: string;
  readonly values: readonly string[];
  /** Index into `values` for the user of a slate at a time, or PENDING when it is known only at the epoch's end. */
  sliceOf(userId: number, time: number): number;
  /** At the epoch's end, the slice of a user `sliceOf` left pending (dimensions that never do need not say). */
  settle?(userId: number): number;
}

/** A slice decided only at the epoch's end: the slate waits with its user's totals until then. */
export const PENDING = -1;

interface SliceTotals {
  impressions: number;
  clicks: number;
  utility: number;
}

const emptyTotals = (): SliceTotals => ({ impressions: 0, clicks: 0, utility: 0 });

export class SliceMetric implements Metric {
  private readonly totals: SliceTotals[][];
  /** Per dimension, the totals of users whose slice is pending until the epoch's end. */
  private readonly pending: Map<number, SliceTotals>[];

  constructor(private readonly dimensions: readonly SliceDimension[]) {
    this.totals = dimensions.map((d) => d.values.map(emptyTotals));
    this.pending = dimensions.map(() => new Map());
  }

  observe(event: SimEvent): void {
    if (event.kind !== 'slate') return;
    for (let d = 0; d < this.dimensions.length; d++) {
      const index = this.dimensions[d].sliceOf(event.userId, event.time);
      let slice = this.totals[d][index];
      if (index === PENDING) {
        slice = this.pending[d].get(event.userId) ?? emptyTotals();
        this.pending[d].set(event.userId, slice);
      }
      slice.impressions += event.items.length;
      if (event.clicked >= 0) {
        slice.clicks += 1;
        slice.utility += event.trueUtility;
      }
    }
  }

  endEpoch(_bounds: EpochBounds): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [d, dimension] of this.dimensions.entries()) {
      for (const [userId, waiting] of this.pending[d]) {
        const slice = this.totals[d][dimension.settle?.(userId) ?? PENDING];
        if (slice === undefined) throw new Error(`slice dimension ${dimension.name} left user ${userId} pending and did not settle it`);
        slice.impressions += waiting.impressions;
        slice.clicks += waiting.clicks;
        slice.utility += waiting.utility;
      }
      this.pending[d].clear();
      for (const [v, value] of dimension.values.entries()) {
        const t = this.totals[d][v];
        out[`ctr_slice_${dimension.name}_${value}`] = ratio(t.clicks, t.impressions);
        out[`mean_true_satisfaction_slice_${dimension.name}_${value}`] = ratio(t.utility, t.clicks);
        t.impressions = 0;
        t.clicks = 0;
        t.utility = 0;
      }
    }
    return out;
  }
}

/** New versus established users: the initial population (signed up at day 0) is established. */
export function tenureDimension(world: WorldView): SliceDimension {
  const isNew = (userId: number, time: number): boolean => {
    const signup = world.userSignupTime(userId);
    return signup > 0 && time - signup < NEW_USER_DAYS;
  };
  return { name: 'tenure', values: ['new', 'established'], sliceOf: (userId, time) => (isNew(userId, time) ? 0 : 1) };
}

/**
 * Majority against minority tastes. A user's taste is their heaviest true topic when the run
 * first sees them: the starting population at the start, a user who signs up at the end of the
 * epoch of the signup (a run split over threads shares true preferences only at epoch ends, and
 * the figures must not depend on how many ran), whose slates until then wait for it. Tastes
 * drift; the group does not. The majority topics are the most common heaviest topics of the
 * starting population, taken in order until they hold at least half of it (ties by topic id);
 * users whose taste is another topic are the minority.
 */
export class TasteDimension implements SliceDimension {
  readonly name = 'taste';
  readonly values = ['majority', 'minority'] as const;
  /** 1 where the topic is a majority taste. */
  private readonly majority: Uint8Array;
  /** Per user: 0 not settled yet, 1 majority, 2 minority. State in fields, not closures, so a checkpoint keeps it. */
  private group: Uint8Array;

  constructor(private readonly world: WorldView) {
    const starting = world.userCount();
    const tastes = Array.from({ length: starting }, (_, u) => this.heaviest(u));
    const counts = new Array<number>(world.topics).fill(0);
    for (const topic of tastes) counts[topic]++;
    this.majority = new Uint8Array(world.topics);
    let held = 0;
    for (const topic of counts.map((_, k) => k).sort((a, b) => counts[b] - counts[a] || a - b)) {
      if (2 * held >= starting) break;
      this.majority[topic] = 1;
      held += counts[topic];
    }
    this.group = Uint8Array.from(tastes, (topic) => (this.majority[topic] === 1 ? 1 : 2));
  }

  sliceOf(userId: number): number {
    return userId < this.group.length && this.group[userId] !== 0 ? this.group[userId] - 1 : PENDING;
  }

  settle(userId: number): number {
    this.group = ensureLength(this.group, userId + 1, 0);
    if (this.group[userId] === 0) this.group[userId] = this.majority[this.heaviest(userId)] === 1 ? 1 : 2;
    return this.group[userId] - 1;
  }

  private heaviest(userId: number): number {
    const prefs = this.world.userTopicPrefs(userId);
    let best = 0;
    for (let k = 1; k < prefs.length; k++) if (prefs[k] > prefs[best]) best = k;
    return best;
  }
}

/** Users by a categorical attribute, e.g. their device. */
export function attributeDimension(name: string, values: readonly string[], valueOf: (userId: number) => string): SliceDimension {
  return {
    name,
    values,
    sliceOf: (userId) => {
      const index = values.indexOf(valueOf(userId));
      if (index < 0) throw new RangeError(`user ${userId} has ${name} "${valueOf(userId)}", not one of ${values.join(', ')}`);
      return index;
    },
  };
}

export const SLICE_FAMILY = metricFamily({
  metrics: {},
  patterns: [SLICE_COLUMN],
  settings: {},
  create: (world, _settings, options) =>
    new SliceMetric([...(options.userDevice === null ? [] : [attributeDimension('device', DEVICES, options.userDevice)]), tenureDimension(world), new TasteDimension(world)]),
});
