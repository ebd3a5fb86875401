/** `chart: diversity`: is the loop narrowing what people see? */
import { gridFamily } from '../chart-family.js';

export const DIVERSITY_CHARTS = gridFamily({
  name: 'diversity',
  section: 'diversity',
  verdict: true,
  id: 'diversity',
  title: 'Diversity of what users see',
  caption: 'Falling entropy and coverage with rising Gini and homogenization mean the loop is narrowing what everyone is shown.',
  columns: 3,
});
