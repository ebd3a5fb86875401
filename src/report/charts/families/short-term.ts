/** `chart: short_term`: what the recommender is rewarded for. */
import { gridFamily } from '../chart-family.js';

export const SHORT_TERM_CHARTS = gridFamily({
  name: 'short_term',
  section: 'objectives',
  verdict: true,
  id: 'short-term',
  title: 'Short-term engagement',
  caption: 'What the recommender is rewarded for: rising lines here are only good news if the long-term chart agrees.',
});
