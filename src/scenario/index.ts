/** Scenario files: the schema, the types, and loading YAML into a frozen, validated Scenario. */
export { scenarioSchema } from './schema.js';
export type { Scenario, ScenarioInput, WorldConfig, RecommenderConfig, ScheduleConfig } from './schema.js';
export type { AnyScenario, BanditScenario, BanditWorldConfig, BanditRecommenderConfig } from './schema.js';
export { isBanditScenario, isPopulationScenario } from './world-kind.js';
export { parseDuration, MINUTES_PER_DAY } from '../settings/duration.js';
export { loadScenario, loadAnyScenario, parseScenario, parseAnyScenario, resolveScenario, resolveAnyScenario, toResolvedYaml } from './load.js';
export type { LoadOptions, ResolveContext, ScenarioResolver } from './load.js';
export { ScenarioError, formatProblem } from './problems.js';
export type { ScenarioProblem } from './problems.js';
