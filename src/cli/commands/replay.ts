/**
 * `recloop replay <run folder>`: the run's logged sessions served again by its design and by the
 * design with a wider candidate set (src/replay), then the gap in diversity and satisfaction.
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { resolvePlugins } from '../../plugins/resolve.js';
import { withResourceCheck } from '../../run/resource-check.js';
import { REPLAY_FOLDERS, ReplayInputError, replayRun, type ReplayDocument } from '../../replay/replay-run.js';
import { replayTable } from '../../replay/replay-table.js';
import { runScenario } from '../../run/run-scenario.js';
import { writeRunReport } from './report.js';
import { runWithProgress } from './run.js';
import { noteTo, UserError, type CliIo, type CommandModule } from './types.js';

export const replayCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'replay <run>',
    "serve a run's logged sessions again with a wider candidate set and report the gap in diversity and satisfaction",
    (y) =>
      y
        .positional('run', { type: 'string', demandOption: true, describe: 'a run folder written with its impression log (recloop run … --logs)' })
        .option('add', { type: 'string', array: true, default: [] as string[], describe: 'a candidate source added to the design, as YAML flow (default when neither --add nor --set is given: {source: topic_spread})' })
        .option('set', { type: 'string', array: true, default: [] as string[], describe: 'another change to the widened design, e.g. --set recommender.rerank.mmr_lambda=0.5' })
        .option('out', { type: 'string', describe: 'result folder (default: <run>-replay)' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing result folder' })
        .option('report', { type: 'boolean', default: true, describe: 'write charts and report.html overlaying both replays; --no-report skips them' }),
    async (args) => {
      const runDir = args.run;
      let outcome: { dir: string; document: ReplayDocument };
      try {
        outcome = await replayRun({
          runDir,
          outDir: args.out ?? `${runDir.replace(/[\\/]+$/, '')}-replay`,
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
      if (args.report) await writeRunReport([join(outcome.dir, REPLAY_FOLDERS.replayed), join(outcome.dir, REPLAY_FOLDERS.widened)], io, { outDir: outcome.dir });
    },
  );
