/**
 * The sentences a failure's section opens with: an experiment's clearest difference, then its arms'
 * trends and their distance from the oracle baseline where it has them; or a single run's trend.
 */
import type { Failure } from '../failures.js';
import type { ReportData } from '../types.js';
import { compareSentence } from './compare-sentence.js';
export { frontierSentence } from './frontier-sentence.js';
import { oracleSentence } from './oracle-sentence.js';
import { slopeSentence } from './slope-sentence.js';
import { trendSentence } from './trend-sentence.js';

/** Undefined where the data has none of the failure's metrics (and for overlaid runs and OPE folders, which have no one story to tell). */
export function failureSentence(data: ReportData, failure: Failure): string | undefined {
  if (data.kind === 'run') return trendSentence(data, failure);
  if (data.kind !== 'compare') return undefined;
  const told = [compareSentence(data, failure), slopeSentence(data, failure), oracleSentence(data, failure)].filter((s): s is string => s !== undefined);
  return told.length === 0 ? undefined : told.join(' ');
}
