/** `recloop sweep <scenario> --grid key=a,b --seeds N`: every cell of a grid × seeds, compared like arms, in one folder (or one shard's slice). */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { formatComparison } from '../../experiment/table.js';
import { parseShard, planSweep, runSweep, shardJobs, type Shard } from '../../sweep/index.js';
import { estimateRun } from '../../run/resource-estimate.js';
import { checkRunsAtOnce } from './runs-at-once.js';
import { createProgress, formatSeconds, type Progress } from '../progress.js';
import { reportAfterRun } from './report.js';
import { noteTo, type CliIo, type CommandModule } from './types.js';
import { wholeNumberOption } from './whole-number.js';

export const sweepCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'sweep <scenario>',
    'run every cell of a grid of settings over seeds and compare the cells',
    (y) =>
      y
        .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
        .option('grid', { type: 'string', array: true, demandOption: true, describe: 'a key and its values, e.g. --grid recommender.slate_size=5,10 (repeat for more keys)' })
        .option('seeds', { type: 'string', describe: 'seeds per cell (default: the scenario\'s replicas)' })
        .option('seed', { type: 'string', describe: 'first seed (overrides the scenario)' })
        .option('set', { type: 'string', array: true, default: [] as string[], describe: 'override a field in every cell, e.g. --set horizon.days=10' })
        .option('workers', { type: 'string', describe: 'worker processes (default: one per core; 0 runs on the main thread)' })
        .option('shard', { type: 'string', describe: 'run slice i of n (i from 0), e.g. --shard 0/4; recloop merge joins the slices' })
        .option('out', { type: 'string', describe: 'result folder (default: output/<scenario name>-sweep, or -sweep-shard-<i>-of-<n>)' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing result folder' })
        .option('logs', { type: 'boolean', default: false, describe: 'write Parquet impression logs for every cell and seed' })
        .option('report', { type: 'boolean', default: true, describe: 'write charts, report.html and summary.md; --no-report skips them' }),
    async (args) => {
      const workers = wholeNumberOption('workers', args.workers, 0);
      const shard: Shard | undefined = args.shard === undefined ? undefined : parseShard(args.shard);
      const plan = await planSweep({
        file: args.scenario,
        set: args.set.map(String),
        grid: args.grid.map(String),
        seeds: wholeNumberOption('seeds', args.seeds, 1),
        seed: wholeNumberOption('seed', args.seed),
        logs: args.logs,
        onNote: noteTo(io),
      });
      const estimates = plan.cells.map((cell) => estimateRun(cell.scenario));
      const jobs = plan.cells.length * plan.seeds.length;
      const ids = shard === undefined ? Array.from({ length: jobs }, (_, k) => k) : shardJobs(jobs, shard);
      checkRunsAtOnce(args.scenario, ids.map((k) => estimates[Math.floor(k / plan.seeds.length)]), workers, io);
      const name = plan.scenario.name;
      const outDir = args.out ?? join('output', shard === undefined ? `${name}-sweep` : `${name}-sweep-shard-${shard.index}-of-${shard.count}`);
      const label = `${name} sweep${shard === undefined ? '' : ` shard ${shard.index}/${shard.count}`}`;
      let progress: Progress | undefined;
      const started = performance.now();
      const outcome = await runSweep(plan, {
        outDir,
        force: args.force,
        workers,
        shard,
        onProgress: (done, total, jobsDone, jobs, timeLeft) => {
          progress ??= createProgress(label, total, io.stderr, started, 'given');
          progress.update(done, `epochs, ${jobsDone}/${jobs} jobs`, timeLeft);
        },
      });
      const size = `${plan.cells.length} cell${plan.cells.length === 1 ? '' : 's'} × ${plan.seeds.length} seed${plan.seeds.length === 1 ? '' : 's'}`;
      const done = `${label}: ${outcome.jobs} jobs (${shard === undefined ? size : `of ${size}`}) on ${outcome.workers || 'no'} worker${outcome.workers === 1 ? '' : 's'} in ${formatSeconds(outcome.wallSeconds)} → ${outcome.dir}`;
      if (progress) progress.finish(done);
      else io.stderr.write(`${done}\n`);
      if (outcome.comparison === undefined) {
        io.stderr.write(`slice written; when all ${shard?.count} are done: recloop merge <slice folders> --out <folder>\n`);
        return;
      }
      io.stdout.write(formatComparison(outcome.comparison));
      if (args.report) await reportAfterRun(outcome.dir, io);
    },
  );
