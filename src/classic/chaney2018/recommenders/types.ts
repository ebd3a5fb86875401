/** What the simulation asks of a recommender in the study: to train on the interactions so far, and to score items for a user. */
import type { Interactions } from '../interactions.js';

export interface ChaneyRecommender {
  /**
   * True for a model that has never seen the step's new items: the simulation places them at
   * random positions of its ranking (the paper's interleaving) instead of asking it to score them.
   */
  readonly interleavesNewItems: boolean;
  /** Learns from what users consumed; items [0, itemsKnown) are the ones that had arrived before this training. */
  train(interactions: Interactions, itemsKnown: number): void;
  /** Writes a score for items [0, items) into out: higher ranks first, equal scores in random order, -Infinity for an item it cannot rank. */
  score(user: number, items: number, out: Float64Array): void;
}
