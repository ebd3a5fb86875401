/** `recloop compare <scenario>`: run the scenario's experiment arms over replicas and compare them. */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { formatComparison } from '../../experiment/table.js';
import { runExperiment } from '../../experiment/run-experiment.js';
import { loadScenario } from '../../scenario/index.js';
import { resolvePlugins } from '../../plugins/resolve.js';
import { withResourceCheck } from '../../run/resource-check.js';
import { estimateRun } from '../../run/resource-estimate.js';
import { resolveExperiment } from '../../experiment/arms.js';
import { checkRunsAtOnce } from './runs-at-once.js';
import { createProgress, formatSeconds, type Progress } from '../progress.js';
import { UserError, noteTo, type CliIo, type CommandModule } from './types.js';
import { wholeNumberOption } from './whole-number.js';
import { reportAfterRun } from './report.js';

export const compareCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'compare <scenario>',
    "run the scenario's experiment arms over replica seeds and compare them",
    (y) =>
      y
        .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file with an experiment section' })
        .option('out', { type: 'string', describe: 'result folder (default: output/<scenario name>-compare)' })
        .option('workers', { type: 'string', describe: 'worker processes (default: one per core; 0 runs on the main thread)' })
        .option('replicas', { type: 'string', describe: 'seeds per arm (overrides the scenario)' })
        .option('seed', { type: 'string', describe: 'root seed of the first replica (overrides the scenario)' })
        .option('set', { type: 'string', array: true, default: [] as string[], describe: 'override a field, e.g. --set experiment.arms.b.slate_size=5' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing result folder' })
        .option('logs', { type: 'boolean', default: false, describe: 'write Parquet impression logs for every arm and replica' })
        .option('report', { type: 'boolean', default: true, describe: 'write charts, report.html and summary.md; --no-report skips them' }),
    async (args) => {
      const workers = wholeNumberOption('workers', args.workers, 0);
      const replicas = wholeNumberOption('replicas', args.replicas, 1);
      const seed = wholeNumberOption('seed', args.seed);
      const overrides = args.set.map(String);
      if (replicas !== undefined) overrides.push(`replicas=${replicas}`);
      if (seed !== undefined) overrides.push(`seed=${seed}`);
      const scenario = await loadScenario(args.scenario, overrides, { onNote: noteTo(io), resolve: withResourceCheck(resolvePlugins) });
      if (scenario.experiment === undefined) {
        throw new UserError(`${args.scenario}: no experiment section; add experiment: { control: ..., arms: { ... } } to compare arms`);
      }
      // Twin worlds run each arm in a process of its own; a user split runs every arm in one world a seed.
      const experiment = resolveExperiment(scenario);
      const perSeed = experiment.config.design === 'twin_worlds' ? experiment.arms.map((arm) => estimateRun({ ...scenario, recommender: arm.recommender })) : [estimateRun(scenario)];
      checkRunsAtOnce(args.scenario, Array.from({ length: scenario.replicas }, () => perSeed).flat(), workers, io);
      const outDir = args.out ?? join('output', `${scenario.name}-compare`);
      let progress: Progress | undefined;
      const started = performance.now();
      const outcome = await runExperiment(scenario, {
        outDir,
        force: args.force,
        workers,
        logs: args.logs,
        onProgress: (done, total, jobsDone, jobs, timeLeft) => {
          progress ??= createProgress(`${scenario.name} compare`, total, io.stderr, started, 'given');
          progress.update(done, `epochs, ${jobsDone}/${jobs} jobs`, timeLeft);
        },
      });
      const done = `${scenario.name}: ${outcome.jobs} jobs on ${outcome.workers || 'no'} worker${outcome.workers === 1 ? '' : 's'} in ${formatSeconds(outcome.wallSeconds)} → ${outcome.dir}`;
      if (progress) progress.finish(done);
      else io.stderr.write(`${done}\n`);
      io.stdout.write(formatComparison(outcome.comparison));
      if (args.report) await reportAfterRun(outcome.dir, io);
    },
  );
