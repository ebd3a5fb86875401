/**
 * The ranking score for an objective, written over the ranker heads of the logged signals.
 * Weights of signals that are not logged are dropped and the rest scaled to sum to one, so
 * the formula never names a head the ranker does not train (the scenario check refuses that).
 */
import type { Objective, Signal } from './answers.js';
import type { RankerHead } from '../recommender/ranking/heads.js';

/** The ranker head each signal trains. */
export const SIGNAL_HEAD: Readonly<Record<Signal, RankerHead>> = {
  click: 'click',
  watch: 'watch',
  completion: 'complete',
  like: 'like',
  survey: 'survey',
};

const WEIGHTS: Readonly<Record<Objective, Partial<Record<Signal, number>>>> = {
  clicks: { click: 1 },
  watch_time: { click: 0.2, watch: 0.6, completion: 0.2 },
  satisfaction: { click: 0.1, watch: 0.2, completion: 0.2, like: 0.2, survey: 0.3 },
};

export const OBJECTIVE_WHY: Readonly<Record<Objective, string>> = {
  clicks: 'clicks alone: the short-term objective feedback loops amplify (clickbait wins)',
  watch_time: 'mostly predicted watch time, with some weight on clicks and completion',
  satisfaction: 'the signals closest to what users value (surveys, likes, completion) over clicks',
};

export function scoreFormula(objective: Objective, signals: readonly Signal[]): string {
  const terms = signals.flatMap((signal) => {
    const weight = WEIGHTS[objective][signal];
    return weight === undefined ? [] : [{ head: SIGNAL_HEAD[signal], weight }];
  });
  if (terms.length === 0) throw new RangeError(`objective ${objective} weighs none of the signals ${signals.join(', ')}`);
  const total = terms.reduce((sum, term) => sum + term.weight, 0);
  return terms.map((term) => `${round2(term.weight / total)}*${term.head}`).join(' + ');
}

function round2(x: number): string {
  return String(Math.round(x * 100) / 100);
}
