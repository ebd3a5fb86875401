/**
 * Slice fairness: click-through and true satisfaction per user slice, so a design review can
 * see who a recommender serves well and who it serves badly. Slices are the user's device and
 * their tenure (`new`: signed up during the run, less than `NEW_USER_DAYS` days before the
 * slate; `established` otherwise, including the whole initial population). Columns are `<metric>_slice_<dimension>_<value>`, e.g. `ctr_slice_device_tv`;
 * a slice with nothing in it this epoch reads 0.
 */
import { ratio } from './arrays.js';
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
  /** Index into `values` for the user of a slate at a time. */
  sliceOf(userId: number, time: number): number;
}

interface SliceTotals {
  impressions: number;
  clicks: number;
  utility: number;
}

export class SliceMetric implements Metric {
  private readonly totals: SliceTotals[][];

  constructor(private readonly dimensions: readonly SliceDimension[]) {
    this.totals = dimensions.map((d) => d.values.map(() => ({ impressions: 0, clicks: 0, utility: 0 })));
  }

  observe(event: SimEvent): void {
    if (event.kind !== 'slate') return;
    for (let d = 0; d < this.dimensions.length; d++) {
      const slice = this.totals[d][this.dimensions[d].sliceOf(event.userId, event.time)];
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
    new SliceMetric([...(options.userDevice === null ? [] : [attributeDimension('device', DEVICES, options.userDevice)]), tenureDimension(world)]),
});
