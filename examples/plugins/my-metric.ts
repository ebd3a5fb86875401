/**
 * A metric family of your own: the share of clicks that land in the top `top` positions of a
 * slate (how much users rely on the first slots). Declared like a built-in family, so the
 * summary, compare, guardrails and reports read it the same way. Used from a scenario as
 *   metrics: { plugins: [{ family: module, path: ./my-metric.ts, top: 2 }] }
 * Outside this repository, import from 'recloop/plugins' instead of the relative path.
 */
import { metricFamily, positiveCount, type EpochBounds, type Metric, type SimEvent } from '../../src/plugins/api.js';

class TopClickShare implements Metric {
  private clicks = 0;
  private topClicks = 0;

  constructor(private readonly top: number) {}

  observe(event: SimEvent): void {
    if (event.kind !== 'slate' || event.clicked < 0) return;
    this.clicks += 1;
    if (event.clicked < this.top) this.topClicks += 1;
  }

  endEpoch(_bounds: EpochBounds): Record<string, number> {
    const share = this.clicks === 0 ? 0 : this.topClicks / this.clicks;
    this.clicks = 0;
    this.topClicks = 0;
    return { top_click_share: share };
  }
}

export default metricFamily({
  metrics: {
    top_click_share: {
      label: 'Clicks in the top slots',
      unit: '% of clicks',
      format: 'percent',
      description: 'share of clicks in the first positions of the slate',
      better: null,
      // The 0 written in an epoch without clicks is no value: left out of the mean over epochs.
      defined: { test: (row) => row.clicks === undefined || row.clicks > 0, note: 'undefined in epochs without clicks' },
      overEpochs: 'mean',
      scalesWithUsers: false,
      chart: 'short_term',
      headline: true,
    },
  },
  patterns: [],
  settings: { top: positiveCount.default(3) },
  create: (_world, settings) => new TopClickShare(settings.top),
});
