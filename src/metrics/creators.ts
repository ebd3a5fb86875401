/**
 * Creator-side fairness: whether the loop's exposure follows what creators offer, or piles onto
 * the big ones. Creators are split once, at the start of the run, by the items they have: the
 * `large_creator_share` of creators with the most items are large (ties by id), the rest small.
 * Creators who join during the run (`world.items.new_creators_per_day`) start with no items, so
 * they are small; how they fare against the established ones is new-creators.ts's.
 *
 * - `small_creator_exposure_ratio`: the share of this epoch's impressions given to small
 *   creators' items, over their share of the catalog at the epoch's end. 1: exposure in
 *   proportion to what they offer; below 1: under-exposed. Undefined (0) without impressions.
 * - `small_creator_ctr_gap`: click-through rate of small creators' items minus that of large
 *   creators' (the engagement their exposure earns); 0 when either group had no impressions.
 * - `creator_exposure_gini`: Gini of this epoch's impressions over all creators there at the
 *   epoch's end, those who joined during it included.
 */
import { ensureLength, ratio } from './arrays.js';
import { metricFamily, type MetricDeclarations, type MetricRow } from './declaration.js';
import { gini } from './stats.js';
import { probability } from '../settings/fields.js';
import type { EpochBounds, Metric, SimEvent, WorldView } from './types.js';

const withImpressions = { test: (row: MetricRow) => (row.impressions ?? 1) > 0, note: 'undefined in epochs without impressions' };

export const CREATOR_METRICS = {
  small_creator_exposure_ratio: { label: 'Small creators’ exposure for their catalog share', unit: 'ratio', format: 'number', description: '1 = in proportion to the items they offer', better: 'higher', defined: withImpressions, overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false },
  small_creator_ctr_gap: { label: 'Small creators’ CTR gap', unit: 'points', format: 'percent', description: 'CTR of small creators’ items minus large creators’', better: null, defined: withImpressions, overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false },
  creator_exposure_gini: { label: 'Exposure concentration over creators', unit: 'Gini', format: 'number', description: '0 = every creator shown as often', better: 'lower', defined: withImpressions, overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false },
} as const satisfies MetricDeclarations;

type CreatorRecord = Record<keyof typeof CREATOR_METRICS, number>;

export class CreatorMetric implements Metric {
  /** 1 for a large creator, by id; creators who joined later are past its end, and small. */
  private readonly large: Uint8Array;
  private impressions: Float64Array;
  private readonly smallCatalog: { items: number; counted: number } = { items: 0, counted: 0 };
  private shown = [0, 0];
  private clicked = [0, 0];

  constructor(
    private readonly world: WorldView,
    largeShare: number,
  ) {
    const creators = world.creatorCount;
    const items = new Float64Array(creators);
    for (let i = 0; i < world.itemCount(); i++) items[world.itemCreator(i)]++;
    const order = Array.from({ length: creators }, (_, c) => c).sort((a, b) => items[b] - items[a] || a - b);
    this.large = new Uint8Array(creators);
    for (let r = 0; r < Math.ceil(largeShare * creators); r++) this.large[order[r]] = 1;
    this.impressions = new Float64Array(creators);
  }

  observe(event: SimEvent): void {
    if (event.kind !== 'slate') return;
    const { items, clicked } = event;
    for (let p = 0; p < items.length; p++) {
      const creator = this.world.itemCreator(items[p]);
      const group = this.groupOf(creator);
      this.impressions = ensureLength(this.impressions, creator + 1, 0);
      this.impressions[creator]++;
      this.shown[group]++;
      if (p === clicked) this.clicked[group]++;
    }
  }

  endEpoch(_bounds: EpochBounds): CreatorRecord {
    const [small, large] = this.shown;
    const total = small + large;
    const catalogShare = ratio(this.smallItems(), this.world.itemCount());
    const record: CreatorRecord = {
      small_creator_exposure_ratio: catalogShare > 0 ? ratio(small / Math.max(1, total), catalogShare) : 0,
      small_creator_ctr_gap: small > 0 && large > 0 ? this.clicked[0] / small - this.clicked[1] / large : 0,
      creator_exposure_gini: this.exposureGini(),
    };
    this.impressions.fill(0);
    this.shown = [0, 0];
    this.clicked = [0, 0];
    return record;
  }

  private groupOf(creator: number): number {
    return creator < this.large.length ? this.large[creator] : 0;
  }

  /** Over every creator there now: the array may have grown past them, or not yet reached those never shown. */
  private exposureGini(): number {
    const creators = this.world.creatorCount;
    this.impressions = ensureLength(this.impressions, creators, 0);
    return gini(this.impressions, creators);
  }

  /** Items of small creators in the catalog, counted on from where the last count stopped. */
  private smallItems(): number {
    const count = this.smallCatalog;
    for (const n = this.world.itemCount(); count.counted < n; count.counted++) if (this.groupOf(this.world.itemCreator(count.counted)) === 0) count.items++;
    return count.items;
  }
}

export const CREATOR_FAMILY = metricFamily({
  metrics: CREATOR_METRICS,
  patterns: [],
  settings: {
    /** The creators with the most items at the start, as a share of all creators: the large ones. */
    large_creator_share: probability.default(0.2),
  },
  create: (world, settings) => new CreatorMetric(world, settings.large_creator_share),
});
