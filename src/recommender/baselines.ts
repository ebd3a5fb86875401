/** The recommender a scenario asks for; every kind is declared in its own file and listed in registry.ts. */
export { buildRecommender } from './registry.js';
