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
 * - `mean_true_satisfaction`: mean world-side trueUtility over clicked slates; 0 when there were
 *   no clicks (read it together with `clicks`).
 *
 * Cost: O(1) per event, O(1) per epoch.
 */
import { clickedItem, EpochIdSet, ratio } from './arrays.js';
import type { EpochBounds, Metric, SimEvent } from './types.js';

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

  endEpoch(_bounds: EpochBounds): Record<string, number> {
    const record = {
      slates: this.slates,
      impressions: this.impressions,
      clicks: this.clicks,
      ctr: ratio(this.clicks, this.impressions),
      watch_minutes: this.watchMinutes,
      watch_minutes_per_active_user: ratio(this.watchMinutes, this.active.size),
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
