/** SQL and typed reading over run folders: the part of recloop that looks at results after a run. */
export { QueryError } from './errors.js';
export { findRunFolders, type RunFolder } from './run-folders.js';
export { RunQuery, queryRuns, DEFAULT_RUNS_DIR } from './run-query.js';
export { QUERY_VIEWS, type QueryViewName } from './views.js';
export { loadRun, metricSeries, type LoadedRun } from './load-run.js';
export { formatResult, formatTable, formatCsv, formatJson, formatNumber, OUTPUT_FORMATS, type OutputFormat } from './format.js';
export { textChart, type TextChartOptions } from './text-chart.js';
export { rowObjects, numberColumn, type QueryResult, type QueryValue } from './values.js';
