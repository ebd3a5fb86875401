/**
 * Which answers can go together: an objective can only be learned from signals that are
 * logged, and only the two-stage pipeline has candidate sources for cold start.
 */
import { SIGNALS, type ColdStartPolicy, type InitRecommenderKind, type Objective, type Signal } from './answers.js';

/** What each objective needs logged: watch time cannot be learned without a watch signal. */
const OBJECTIVE_NEEDS: Record<Objective, { readonly anyOf: readonly Signal[] }> = {
  clicks: { anyOf: ['click'] },
  watch_time: { anyOf: ['watch'] },
  satisfaction: { anyOf: ['survey', 'like', 'completion'] },
};

/** Why an objective cannot be learned from these signals, or undefined when it can. */
export function objectiveProblem(objective: Objective, signals: readonly Signal[]): string | undefined {
  const needs = OBJECTIVE_NEEDS[objective].anyOf;
  if (needs.some((signal) => signals.includes(signal))) return undefined;
  return `objective ${objective} needs ${needs.length > 1 ? 'one of ' : ''}${needs.join(', ')} among the logged signals (${signals.join(', ')})`;
}

/** Fresh and content are candidate sources, which only the two-stage pipeline has. */
export function coldStartProblem(kind: InitRecommenderKind, policies: readonly ColdStartPolicy[]): string | undefined {
  const sources = policies.filter((p) => p === 'fresh' || p === 'content');
  if (kind !== 'popularity' || sources.length === 0) return undefined;
  return `${sources.join(' and ')} ${sources.length > 1 ? 'are candidate sources' : 'is a candidate source'} of the two_stage recommender; popularity has only random_startup`;
}

/** The signals in their canonical order, click always among them (every impression logs it). */
export function withClick(signals: readonly Signal[]): Signal[] {
  return SIGNALS.filter((signal) => signal === 'click' || signals.includes(signal));
}
