/**
 * recloop's public API: what notebooks and scripts import (`import { ... } from 'recloop'`, or
 * `../dist/index.js` inside this repository). Kept to a short, curated list: run a scenario,
 * read run folders, ask SQL questions of them, and show results as text.
 */

// Scenarios: YAML text or files → a validated, frozen Scenario.
export { loadScenario, parseScenario, toResolvedYaml, ScenarioError } from './scenario/index.js';
export type { Scenario, ScenarioInput } from './scenario/index.js';
// Pass as `resolve` to loadScenario to load the components a scenario names by file (`path:`); what such a file imports is 'recloop/plugins'.
export { resolvePlugins } from './plugins/resolve.js';

// Running one scenario into a run folder.
export { runScenario, RUN_FILES } from './run/run-scenario.js';
export type { RunOptions, RunOutcome } from './run/run-scenario.js';
export type { MetricsRow, RunSummary } from './run/summary.js';

// Reading run folders, and DuckDB SQL over one or many of them.
export {
  RunQuery,
  queryRuns,
  QueryError,
  QUERY_VIEWS,
  DEFAULT_RUNS_DIR,
  findRunFolders,
  loadRun,
  metricSeries,
  rowObjects,
  numberColumn,
} from './query/index.js';
export type { LoadedRun, QueryResult, QueryValue, RunFolder } from './query/index.js';

// Results as text: tables (also CSV, JSON) and bar charts of a metric over time.
export { formatTable, formatCsv, formatJson, formatNumber, textChart } from './query/index.js';
export type { TextChartOptions } from './query/index.js';

// Writing a commented scenario from the scoping questions of a design review.
export { initScenario, renderScenario } from './init/index.js';
export type { InitAnswers, InitOptions, InitResult } from './init/index.js';
