/**
 * What each surface means for the simulation: slate size, how users scan the slate (the
 * world's choice model), which candidate sources the pipeline leans on and how it re-ranks.
 * The `why` texts end up as comments in the scenario file.
 */
import type { ChoiceModelName } from '../world/choice/registry.js';
import type { Surface } from './answers.js';

export interface SurfaceProfile {
  readonly title: string;
  readonly slateSize: number;
  /** A registered choice model (world/choice/registry.ts) and the position bias it is given. */
  readonly choice: { readonly model: ChoiceModelName; readonly positionBias: number; readonly why: string };
  /** Candidate sources always used on this surface (cold-start sources are added to these). */
  readonly sources: readonly { readonly source: 'two_tower' | 'popularity' | 'content'; readonly k: number }[];
  readonly sourcesWhy: string;
  readonly rerank: { readonly creatorCap: number; readonly mmrLambda: number; readonly why: string };
  /** A limit of the simulation worth saying out loud, if any. */
  readonly caveat?: string;
}

export const SURFACE_PROFILES: Readonly<Record<Surface, SurfaceProfile>> = {
  home_feed: {
    title: 'home feed',
    slateSize: 10,
    choice: { model: 'mnl', positionBias: 0.85, why: 'a feed is browsed: users weigh the whole slate, lower slots less' },
    sources: [
      { source: 'two_tower', k: 200 },
      { source: 'popularity', k: 50 },
    ],
    sourcesWhy: 'personalised retrieval plus what is popular now',
    rerank: { creatorCap: 2, mmrLambda: 0.1, why: 'variety keeps a feed from collapsing onto one creator or topic' },
  },
  related_items: {
    title: 'related items',
    slateSize: 6,
    choice: { model: 'mnl', positionBias: 0.75, why: 'a short row beside what the user is watching; later slots are seen less' },
    sources: [
      { source: 'content', k: 100 },
      { source: 'two_tower', k: 100 },
      { source: 'popularity', k: 20 },
    ],
    sourcesWhy: 'items sharing tags or creator with what the user just watched lead',
    rerank: { creatorCap: 0, mmrLambda: 0, why: 'related items may stay close to each other' },
    caveat: 'recloop has no "item being watched" context: the content source (tags and creators of the user\'s recent watches) stands in for it',
  },
  search: {
    title: 'search',
    slateSize: 10,
    choice: { model: 'cascade', positionBias: 0.7, why: 'searchers scan from the top and stop at the first good result' },
    sources: [
      { source: 'two_tower', k: 200 },
      { source: 'content', k: 50 },
      { source: 'popularity', k: 20 },
    ],
    sourcesWhy: 'relevance to the user first; popularity only as a fallback',
    rerank: { creatorCap: 0, mmrLambda: 0, why: 'search results are ranked for relevance alone' },
    caveat: 'recloop has no query model: a search is a request from a user whose tastes stand in for the query',
  },
};
