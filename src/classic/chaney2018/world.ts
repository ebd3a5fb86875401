/**
 * The world of the study: users with Dirichlet preferences, items with Dirichlet attributes
 * arriving a fixed number per step, and for every (user, item) a true utility (a Beta whose mean
 * is preference · attributes) and the part of it the user knows. It is drawn once per seed and
 * shared by every recommender and training mode, so their differences are the recommenders'.
 */
import { RandomStreams } from '../../rng/index.js';
import { betaByMoments } from './beta-by-moments.js';
import type { ChaneyWorldConfig } from './config.js';

/** Means closer to 0 than this are lifted to it: a Beta needs a mean strictly inside (0, 1). */
const MIN_MEAN = 1e-9;

export interface ChaneyWorld {
  readonly users: number;
  readonly attributes: number;
  readonly items: number;
  readonly itemsPerStep: number;
  /** The Dirichlet parameters the preferences and attributes were drawn from (μ_ρ, μ_α). */
  readonly preferencePrior: Float64Array;
  readonly attributePrior: Float64Array;
  /** users × attributes, each row on the simplex. */
  readonly preferences: Float64Array;
  /** items × attributes, each row on the simplex; item i arrives at step floor(i / itemsPerStep). */
  readonly itemAttributes: Float64Array;
  /** users × items: the true utility V_ui. */
  readonly trueUtility: Float64Array;
  /** users × items: what the user knows of it, V*_ui = η_ui · V_ui. */
  readonly knownUtility: Float64Array;
}

export function totalSteps(config: ChaneyWorldConfig): number {
  return config.startup_steps + config.steps;
}

/** Draws the world of one seed. */
export function drawWorld(config: ChaneyWorldConfig, seed: number): ChaneyWorld {
  const streams = new RandomStreams(seed).child('world');
  const users = config.users;
  const k = config.attributes;
  const items = config.items_per_step * totalSteps(config);

  const priors = streams.stream('priors');
  const preferencePrior = scaledDirichlet(priors.dirichlet(new Float64Array(k).fill(config.user_preferences.alpha)), config.user_preferences.scale);
  const attributePrior = scaledDirichlet(priors.dirichlet(new Float64Array(k).fill(config.item_attributes.alpha)), config.item_attributes.scale);

  const preferences = new Float64Array(users * k);
  const userStream = streams.stream('preferences');
  for (let u = 0; u < users; u++) preferences.set(userStream.dirichlet(preferencePrior), u * k);
  const itemAttributes = new Float64Array(items * k);
  const itemStream = streams.stream('attributes');
  for (let i = 0; i < items; i++) itemAttributes.set(itemStream.dirichlet(attributePrior), i * k);

  const trueUtility = new Float64Array(users * items);
  const knownUtility = new Float64Array(users * items);
  const utilityStream = streams.stream('utility');
  const knownStream = streams.stream('known');
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < items; i++) {
      const mean = Math.min(Math.max(dot(preferences, u * k, itemAttributes, i * k, k), MIN_MEAN), 1 - MIN_MEAN);
      const v = betaByMoments(utilityStream, mean, config.utility_variance);
      trueUtility[u * items + i] = v;
      knownUtility[u * items + i] = v * betaByMoments(knownStream, config.known_fraction.mean, config.known_fraction.variance);
    }
  }
  return { users, attributes: k, items, itemsPerStep: config.items_per_step, preferencePrior, attributePrior, preferences, itemAttributes, trueUtility, knownUtility };
}

/** The mean utility of item i for user u: θ_u · β_i. */
export function utilityMean(world: ChaneyWorld, user: number, item: number): number {
  return dot(world.preferences, user * world.attributes, world.itemAttributes, item * world.attributes, world.attributes);
}

export function dot(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, length: number): number {
  let sum = 0;
  for (let j = 0; j < length; j++) sum += a[aOffset + j] * b[bOffset + j];
  return sum;
}

function scaledDirichlet(draw: Float64Array, scale: number): Float64Array {
  for (let j = 0; j < draw.length; j++) draw[j] *= scale;
  return draw;
}
