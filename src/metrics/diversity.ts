/**
 * Diversity: how varied each user's slates and consumption are, and how evenly exposure is
 * spread over the catalog.
 *
 * - `topic_entropy_impressions`: for each user with at least one impression this epoch, sum the
 *   TRUE topic mixture weights of every item shown to them (one item = its mixture, summing to
 *   1), normalise, and take the Shannon entropy in bits (log2); the figure is the mean over
 *   those users. 0 when nobody had an impression.
 * - `topic_entropy_consumption`: the same over clicked items, averaged over users with at least
 *   one click. 0 when nobody clicked.
 * - `impression_gini`: Gini coefficient of this epoch's impression counts over ALL catalog
 *   items at epoch end (world.itemCount(), zeros included), G = Σ(2i−n−1)x_i / (n·Σx) with x
 *   ascending and i from 1. 0 when there were no impressions.
 * - `catalog_coverage`: share of catalog items (world.itemCount() at epoch end) with at least
 *   one impression this epoch. 0 for an empty catalog.
 * - `homogenization`: see homogenization.ts (Chaney et al. 2018, paired Jaccard on a fixed
 *   user sample).
 *
 * State: per-user topic vectors only for users active this epoch (rows of one flat array), per-item
 * impression counts (Uint32Array growing with ids). Cost: O(slate × topics per item) per
 * slate; per epoch O(active users × topics + items log items) plus the homogenization sample.
 */
import { clickedItem, ensureLength, ratio } from './arrays.js';
import { Homogenization, type IndexSampler } from './homogenization.js';
import { positiveCount } from '../settings/fields.js';
import { metricFamily, type MetricDeclarations } from './declaration.js';
import { WITH_CLICKS } from './engagement.js';
import { entropyBits, gini } from './stats.js';
import { ItemTopics } from './item-topics.js';
import { UserVectors } from './user-vectors.js';
import type { EpochBounds, Metric, SimEvent, WorldView } from './types.js';

/** Varied slates and consumption, exposure spread evenly, users not made alike. */
export const DIVERSITY_METRICS = {
  topic_entropy_impressions: { label: 'Topic entropy of what users see', unit: 'bits', format: 'number', description: 'per user, averaged', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'diversity', headline: true },
  topic_entropy_consumption: { label: 'Topic entropy of what users watch', unit: 'bits', format: 'number', description: 'per user, averaged', better: 'higher', defined: WITH_CLICKS, overEpochs: 'mean', scalesWithUsers: false, chart: 'diversity', headline: true },
  impression_gini: { label: 'Impression concentration', unit: 'Gini', format: 'number', description: '0 = even exposure, 1 = one item gets all', better: 'lower', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'diversity', headline: true },
  catalog_coverage: { label: 'Catalog coverage', unit: '% of items', format: 'percent', description: 'shown at least once in the epoch', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'diversity', headline: true },
  homogenization: {
    label: 'Homogenization', unit: 'Jaccard', format: 'number', description: 'overlap of what similar users watch', better: 'lower',
    defined: { test: (row) => row.epoch !== undefined && row.epoch >= 1, note: 'undefined until the user sample is drawn (end of the first epoch)' },
    overEpochs: 'mean', scalesWithUsers: false, chart: 'diversity', headline: true,
  },
} as const satisfies MetricDeclarations;

type DiversityRecord = Record<keyof typeof DIVERSITY_METRICS, number>;

export interface DiversityOptions {
  /** Users in the homogenization sample (all users if fewer exist at the first epoch end). */
  readonly homogenizationSample: number;
  readonly sampler: IndexSampler;
}

export class DiversityMetric implements Metric {
  private readonly shownTopics: UserVectors;
  private readonly clickedTopics: UserVectors;
  private itemImpressions = new Uint32Array(0);
  private itemLimit = 0;
  private itemsShown = 0;
  private giniScratch = new Float64Array(0);
  private readonly homogenization: Homogenization;
  private readonly topics: ItemTopics;

  constructor(
    private readonly world: WorldView,
    options: DiversityOptions,
  ) {
    this.homogenization = new Homogenization(world, options.homogenizationSample, options.sampler);
    this.shownTopics = new UserVectors(world.topics);
    this.clickedTopics = new UserVectors(world.topics);
    this.topics = new ItemTopics(world);
  }

  observe(event: SimEvent): void {
    switch (event.kind) {
      case 'slate': {
        const shown = this.shownTopics.rowFor(event.userId);
        const { items } = event;
        for (let p = 0; p < items.length; p++) {
          const item = items[p];
          this.addTopics(this.shownTopics, shown, item);
          if (item >= this.itemLimit) {
            this.itemLimit = item + 1;
            this.itemImpressions = ensureLength(this.itemImpressions, this.itemLimit, 0);
          }
          if (this.itemImpressions[item]++ === 0) this.itemsShown++;
        }
        const clicked = clickedItem(event);
        if (clicked >= 0) {
          this.addTopics(this.clickedTopics, this.clickedTopics.rowFor(event.userId), clicked);
          this.homogenization.observeClick(event.userId, clicked);
        }
        break;
      }
      case 'churn':
        this.homogenization.observeChurn(event.userId);
        break;
      default:
        break;
    }
  }

  endEpoch(_bounds: EpochBounds): DiversityRecord {
    // Catalog = items existing at epoch end; never-shown items count as zeros.
    const catalog = Math.max(this.world.itemCount(), this.itemLimit);
    this.itemImpressions = ensureLength(this.itemImpressions, catalog, 0);
    this.giniScratch = ensureLength(this.giniScratch, catalog, 0);
    const record: DiversityRecord = {
      topic_entropy_impressions: this.meanEntropy(this.shownTopics),
      topic_entropy_consumption: this.meanEntropy(this.clickedTopics),
      impression_gini: gini(this.itemImpressions, catalog, this.giniScratch),
      catalog_coverage: ratio(this.itemsShown, catalog),
      homogenization: this.homogenization.endEpoch(),
    };
    this.shownTopics.clear();
    this.clickedTopics.clear();
    this.itemImpressions.fill(0, 0, this.itemLimit);
    this.itemsShown = 0;
    return record;
  }

  /** The sampled user ids and their partners (for inspection and tests). */
  homogenizationPairs(): { readonly users: readonly number[]; readonly partners: readonly number[] } {
    return { users: this.homogenization.sampleUsers(), partners: this.homogenization.partnerUsers() };
  }

  private addTopics(vectors: UserVectors, row: number, itemId: number): void {
    const { topics } = this;
    vectors.add(row, topics.ids, topics.weights, topics.read(itemId));
  }

  /** Mean entropy over the users' vectors, summed in first-seen order. */
  private meanEntropy(vectors: UserVectors): number {
    if (vectors.size === 0) return 0;
    let sum = 0;
    const { values, width } = vectors;
    for (let r = 0; r < vectors.size; r++) sum += entropyBits(values, r * width, (r + 1) * width);
    return sum / vectors.size;
  }
}

export const DIVERSITY_FAMILY = metricFamily({
  metrics: DIVERSITY_METRICS,
  patterns: [],
  settings: {
    /** Users sampled once, by seed, for the homogenization metric (pairwise work stays bounded). */
    homogenization_sample: positiveCount.default(300),
  },
  create: (world, settings, options) => new DiversityMetric(world, { homogenizationSample: settings.homogenization_sample, sampler: options.sampler }),
});
