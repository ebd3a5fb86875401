/** `chart: long_term`: what the system is for. */
import { gridFamily } from '../chart-family.js';

export const LONG_TERM_CHARTS = gridFamily({
  name: 'long_term',
  section: 'objectives',
  verdict: true,
  id: 'long-term',
  title: 'Long-term value',
  caption: 'True satisfaction and whether people come back: a fall here while clicks rise is the loop trading long-term value for clicks.',
  columns: 3,
});
