/**
 * `recloop replay <run folder>`: the run's logged sessions served again by its design and by the
 * design with a wider candidate set (src/replay), then the gap in diversity and satisfaction.
 */
import type { Argv } from 'yargs';
import { resolvePlugins } from '../../plugins/resolve.js';
import { withResourceCheck } from '../../run/resource-check.js';
import { ReplayInputError, replayRuns } from '../../replay/replay-run.js';
import { replayTable } from '../../replay/replay-table.js';
import { runScenario } from '../../run/run-scenario.js';
import { writeRunReport } from './report.js';
import { runWithProgress } from './run.js';
import { noteTo, UserError, type CliIo, type CommandModule } from './types.js';

export const replayCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'replay <runs..>',
    "serve runs' logged sessions again with a wider candidate set and report the gap in diversity and satisfaction",
    (y) =>
      y
        .positional('runs', { type: 'string', array: true, demandOption: true, describe: 'run folders written with their impression log (recloop run … --logs): one run, or runs of one scenario with different seeds' })
        .option('add', { type: 'string', array: true, default: [] as string[], describe: 'a candidate source added to the design, as YAML flow (default when neither --add nor --set is given: {source: topic_spread})' })
        .option('set', { type: 'string', array: true, default: [] as string[], describe: 'another change to the widened design, e.g. --set recommender.rerank.mmr_lambda=0.5' })
        .option('out', { type: 'string', describe: 'result folder (default: <first run>-replay)' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing result folder' })
        .option('report', { type: 'boolean', default: true, describe: 'write charts and report.html overlaying both replays; --no-report skips them' }),
    async (args) => {
      const runDirs = args.runs.map(String);
      let outcome: Awaited<ReturnType<typeof replayRuns>>;
      try {
        outcome = await replayRuns({
          runDirs,
          outDir: args.out ?? `${runDirs[0].replace(/[\\/]+$/, '')}-replay`,
          force: args.force,
          addSources: args.add.map(String),
          overrides: args.set.map(String),
          load: { onNote: noteTo(io), resolve: withResourceCheck(resolvePlugins) },
          simulate: (label, scenario, options) => runWithProgress(`${scenario.name} ${label}`, io, (display) => runScenario(scenario, { ...options, ...display })),
        });
      } catch (error) {
        if (error instanceof ReplayInputError) throw new UserError(error.message);
        throw error;
      }
      io.stdout.write(`\n${replayTable(outcome.document)}`);
      // Both replays overlaid; runs that differ only in seed are pooled into a mean with its band.
      if (args.report) await writeRunReport(outcome.folders, io, { outDir: outcome.dir });
    },
  );
