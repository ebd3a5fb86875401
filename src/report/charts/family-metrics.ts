/** Which plain metric columns each family charts, in panel order (from the metric registry). */
import { familyMetrics } from '../../metrics/registry.js';

export const SHORT_TERM = familyMetrics('short_term');
export const LONG_TERM = familyMetrics('long_term');
export const DIVERSITY = familyMetrics('diversity');
export const COLD_START = familyMetrics('cold_start');
export const REGRET = familyMetrics('regret');
export const LEARNING = familyMetrics('learning');
