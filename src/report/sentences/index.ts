/** The sentence a failure's section opens with: an experiment's clearest difference, or a single run's trend. */
import type { Failure } from '../failures.js';
import type { ReportData } from '../types.js';
import { compareSentence } from './compare-sentence.js';
export { frontierSentence } from './frontier-sentence.js';
import { trendSentence } from './trend-sentence.js';

/** Undefined where the data has none of the failure's metrics (and for overlaid runs and OPE folders, which have no one story to tell). */
export function failureSentence(data: ReportData, failure: Failure): string | undefined {
  return data.kind === 'compare' ? compareSentence(data, failure) : data.kind === 'run' ? trendSentence(data, failure) : undefined;
}
