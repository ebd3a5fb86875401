/**
 * Engagement: what the slates earned this epoch.
 *
 * - `slates`: slates served (one per request).
 * - `impressions`: items shown (every position of every slate counts once).
 * - `clicks`: slates with a click.
 * - `ctr`: clicks / impressions; 0 when there were no impressions.
 * - `watch_minutes`: total watch time.
 * - `watch_minutes_per_active_user`: watch_minutes / distinct users with a session_start or a
 *   slate this epoch; 0 when nobody was active.
 * - `watch_minutes_per_impression`: watch_minutes / impressions, the short-term yield of a slot;
 *   0 when there were no impressions.
 * - `mean_true_satisfaction`: mean world-side trueUtility over clicked slates; 0 when there were
 *   no clicks (read it together with `clicks`).
 *
 * Cost: O(1) per event, O(1) per epoch.
 */
import { clickedItem, EpochIdSet, ratio } from './arrays.js';
import { metricFamily, type DefinedWhen, type MetricDeclarations } from './declaration.js';
import type { EpochBounds, Metric, SimEvent } from './types.js';

/** Undefined in an epoch without clicks (the figure is a mean over clicks). */
export const WITH_CLICKS: DefinedWhen = { test: (row) => row.clicks === undefined || row.clicks > 0, note: 'undefined in epochs without clicks' };

export const ENGAGEMENT_METRICS = {
  slates: { label: 'Slates served', unit: 'slates', format: 'count', description: 'per epoch', better: null, defined: 'always', overEpochs: 'sum', scalesWithUsers: true, chart: null, headline: false },
  impressions: { label: 'Impressions', unit: 'items shown', format: 'count', description: 'per epoch', better: null, defined: 'always', overEpochs: 'sum', scalesWithUsers: true, chart: null, headline: false },
  clicks: { label: 'Clicks', unit: 'clicks', format: 'count', description: 'per epoch', better: 'higher', defined: 'always', overEpochs: 'sum', scalesWithUsers: true, chart: null, headline: false },
  ctr: { label: 'Click-through rate', unit: '% clicked', format: 'percent', description: 'clicks per impression', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'short_term', headline: true },
  watch_minutes: { label: 'Watch time', unit: 'minutes', format: 'count', description: 'total per epoch', better: 'higher', defined: 'always', overEpochs: 'sum', scalesWithUsers: true, chart: null, headline: false },
  watch_minutes_per_active_user: { label: 'Watch time per active user', unit: 'minutes', format: 'number', description: 'per epoch', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'short_term', headline: true },
  watch_minutes_per_impression: { label: 'Watch time per impression', unit: 'minutes', format: 'number', description: 'per item shown', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'short_term', headline: false },
  mean_true_satisfaction: { label: 'True satisfaction per click', unit: 'true utility', format: 'number', description: 'world-side utility of what was watched', better: 'higher', defined: WITH_CLICKS, overEpochs: 'mean', scalesWithUsers: false, chart: 'long_term', headline: true },
} as const satisfies MetricDeclarations;

type EngagementRecord = Record<keyof typeof ENGAGEMENT_METRICS, number>;


export class EngagementMetric implements Metric {
  private readonly active = new EpochIdSet();
  private slates = 0;
  private impressions = 0;
  private clicks = 0;
  private watchMinutes = 0;
  private utilitySum = 0;
  private utilityCount = 0;

  observe(event: SimEvent): void {
    switch (event.kind) {
      case 'slate': {
        this.active.add(event.userId);
        this.slates++;
        this.impressions += event.items.length;
        this.watchMinutes += event.watchMinutes;
        if (clickedItem(event) >= 0) {
          this.clicks++;
          if (Number.isFinite(event.trueUtility)) {
            this.utilitySum += event.trueUtility;
            this.utilityCount++;
          }
        }
        break;
      }
      case 'session_start':
        this.active.add(event.userId);
        break;
      default:
        break;
    }
  }

  endEpoch(_bounds: EpochBounds): EngagementRecord {
    const record: EngagementRecord = {
      slates: this.slates,
      impressions: this.impressions,
      clicks: this.clicks,
      ctr: ratio(this.clicks, this.impressions),
      watch_minutes: this.watchMinutes,
      watch_minutes_per_active_user: ratio(this.watchMinutes, this.active.size),
      watch_minutes_per_impression: ratio(this.watchMinutes, this.impressions),
      mean_true_satisfaction: ratio(this.utilitySum, this.utilityCount),
    };
    this.active.nextEpoch();
    this.slates = 0;
    this.impressions = 0;
    this.clicks = 0;
    this.watchMinutes = 0;
    this.utilitySum = 0;
    this.utilityCount = 0;
    return record;
  }
}

export const ENGAGEMENT_FAMILY = metricFamily({ metrics: ENGAGEMENT_METRICS, patterns: [], settings: {}, create: () => new EngagementMetric() });
