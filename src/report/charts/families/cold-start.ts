/** `chart: cold_start`: are new items starved? */
import { gridFamily } from '../chart-family.js';

export const COLD_START_CHARTS = gridFamily({
  name: 'cold_start',
  section: 'cold_start',
  verdict: true,
  id: 'cold-start',
  title: 'Cold start: do new items get a chance?',
  caption: 'A rising never-shown share and a falling fresh share mean new uploads are starved of exposure.',
});
