/**
 * The build phase: turns a scenario into the parts the loop runs (simulation.ts): the world, the
 * recommender, the metrics and the loop's settings. Each part is built by its own function, so
 * an experiment or off-policy evaluation composes the parts it needs (a recommender under its
 * own streams, a router over several arms, per-arm metrics) instead of hooking into the loop.
 *
 * Streams: the world draws under `world/`, the scenario's recommender under `recommender/`, the
 * metrics' sample from `metrics/…`, all from the scenario's root seed; what each part draws
 * does not depend on the order they are built in.
 */
import { createDefaultMetrics, MetricsCollector, type MetricSettings } from '../metrics/index.js';
import { buildRecommender } from '../recommender/baselines.js';
import type { Recommender, RecommenderContext } from '../recommender/types.js';
import { RandomStreams } from '../rng/index.js';
import type { RecommenderConfig, Scenario } from '../scenario/index.js';
import { World } from '../world/world.js';
import type { LoopSettings, SimulationParts } from './simulation.js';

/** Everything a run needs but the recommender: built first, so a recommender can be built on it. */
export interface Environment {
  /** The scenario's root streams. */
  readonly streams: RandomStreams;
  readonly world: World;
  readonly metrics: MetricsCollector;
  readonly settings: LoopSettings;
  /** What the scenario's recommender is given: the public side of the world, under `recommender/`. */
  readonly context: RecommenderContext;
}

/** The world of a scenario, drawing under `world/` of `streams`. */
export function buildWorld(scenario: Scenario, streams: RandomStreams): World {
  return new World(scenario.world, streams.child('world'));
}

/** What a recommender sees of `world`: the public catalog and users, its slate size and its own streams. */
export function recommenderContext(world: World, slateSize: number, streams: RandomStreams): RecommenderContext {
  return { catalog: world.items.public, users: world.users.public, slateSize, streams };
}

/** The scenario's metrics over the whole world; the homogenization sample draws from `metrics/homogenization-sample`. */
export function buildMetrics(world: World, settings: MetricSettings, streams: RandomStreams): MetricsCollector {
  return new MetricsCollector(
    createDefaultMetrics(world.view(), settings, {
      sampler: streams.stream('metrics/homogenization-sample'),
      userDevice: (userId) => world.users.public.get(userId).device,
    }),
  );
}

/** The loop's settings: the scenario's horizon and schedule, the recommender's retrain period, log window and slate size. */
export function loopSettings(scenario: Scenario, recommender: RecommenderConfig = scenario.recommender): LoopSettings {
  return {
    horizonDays: scenario.horizon.days,
    schedule: scenario.schedule,
    retrainEvery: recommender.retrain.every,
    logWindow: recommender.retrain.window,
    slateSize: recommender.slate_size,
  };
}

export function buildEnvironment(scenario: Scenario): Environment {
  const streams = new RandomStreams(scenario.seed);
  const world = buildWorld(scenario, streams);
  return {
    streams,
    world,
    metrics: buildMetrics(world, scenario.metrics, streams),
    settings: loopSettings(scenario),
    context: recommenderContext(world, scenario.recommender.slate_size, scenarioRecommenderStreams(scenario)),
  };
}

/** The streams of the scenario's own recommender, `recommender/` under the root seed, wherever it is built (a serving replica too). */
export function scenarioRecommenderStreams(scenario: Scenario): RandomStreams {
  return new RandomStreams(scenario.seed).child('recommender');
}

/** Every part of a run of the scenario as written: its recommender (`recommender.kind`) on its environment. */
export function buildParts(scenario: Scenario): SimulationParts & Pick<Environment, 'context'> {
  const env = buildEnvironment(scenario);
  const { world } = env;
  return { ...env, recommender: buildRecommender(scenario.recommender, env.context, () => world) };
}

/** The scenario's environment with a recommender of the caller's (custom or wrapped), built on the public context only. */
export function buildPartsWith(scenario: Scenario, recommender: (ctx: RecommenderContext) => Recommender): SimulationParts {
  const env = buildEnvironment(scenario);
  return { ...env, recommender: recommender(env.context) };
}
