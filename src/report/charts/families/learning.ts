/** `chart: learning`: is the exploration policy learning? */
import { gridFamily } from '../chart-family.js';

export const LEARNING_CHARTS = gridFamily({
  name: 'learning',
  section: 'exploration',
  verdict: false,
  id: 'exploration-learning',
  title: 'Exploration: is the policy learning?',
  caption: 'A rising best-arm share and a regret / ln(round) that flattens onto the dotted Lai–Robbins constant mean the policy explores about as little as it can.',
});
