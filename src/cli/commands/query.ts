/** `recloop query "<SQL>"`: DuckDB SQL over the impression logs and metrics of one or many runs. */
import type { Argv } from 'yargs';
import { DEFAULT_RUNS_DIR, OUTPUT_FORMATS, QUERY_VIEWS, QueryError, RunQuery, formatResult, type OutputFormat } from '../../query/index.js';
import { UserError, type CliIo, type CommandModule } from './types.js';

/** One epoch is one retrain period: a simulated day unless the scenario says otherwise. */
const EXAMPLE_CTR = `SELECT run, arm, epoch AS day, avg(clicked::INT) AS ctr FROM impressions GROUP BY ALL ORDER BY ALL`;

const TABLES = Object.entries(QUERY_VIEWS)
  .map(([name, what]) => `  ${name.padEnd(12)}${what}`)
  .join('\n');

export const queryCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'query <sql>',
    'SQL (DuckDB) over the impression logs and metrics of runs',
    (y) =>
      y
        .positional('sql', { type: 'string', demandOption: true, describe: 'the query; quote it for the shell' })
        .option('runs', {
          type: 'string',
          array: true,
          default: [DEFAULT_RUNS_DIR],
          describe: 'a run folder, or a folder searched for run folders; repeat for several',
        })
        .option('format', { choices: OUTPUT_FORMATS, default: 'table' as OutputFormat, describe: 'output format' })
        .example(`$0 query "${EXAMPLE_CTR}"`, 'click-through rate by run, arm and simulated day')
        .example(`$0 query "SELECT run, metric, first, last FROM summary WHERE metric = 'catalog_coverage'" --runs output/a --runs output/b`, 'compare two runs')
        .example(`$0 query "SELECT epoch, ctr, impression_gini FROM metrics" --format csv > metrics.csv`, 'metrics as CSV')
        .epilog(`Every table has a "run" column first (the run folder's name):\n${TABLES}`),
    async (args) => {
      const query = await open(args.runs.map(String));
      try {
        const result = await query.query(args.sql).catch(rethrowAsUserError);
        io.stdout.write(formatResult(result, args.format));
      } finally {
        query.close();
      }
    },
  );

async function open(paths: readonly string[]): Promise<RunQuery> {
  return RunQuery.open(paths).catch(rethrowAsUserError);
}

/** Missing folders and SQL mistakes are the user's to fix: one message, no stack trace. */
function rethrowAsUserError(error: unknown): never {
  if (error instanceof QueryError) throw new UserError(error.message);
  throw error;
}
