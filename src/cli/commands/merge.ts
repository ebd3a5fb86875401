/** `recloop merge <slices…> --out DIR`: the slices of `recloop sweep --shard i/n` → the sweep's folder. */
import type { Argv } from 'yargs';
import { formatComparison } from '../../experiment/table.js';
import { mergeSlices } from '../../sweep/index.js';
import { formatSeconds } from '../progress.js';
import { reportAfterRun } from './report.js';
import type { CliIo, CommandModule } from './types.js';

export const mergeCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'merge <slices..>',
    'join the slice folders of a sharded sweep into the folder one machine would have written',
    (y) =>
      y
        .positional('slices', { type: 'string', array: true, demandOption: true, describe: 'every slice folder of the sweep (recloop sweep --shard i/n), once each' })
        .option('out', { type: 'string', demandOption: true, describe: 'the merged sweep folder' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing folder' })
        .option('report', { type: 'boolean', default: true, describe: 'write charts, report.html and summary.md; --no-report skips them' }),
    async (args) => {
      const outcome = await mergeSlices(args.slices.map(String), { outDir: args.out, force: args.force });
      io.stderr.write(`merged ${outcome.slices} slice${outcome.slices === 1 ? '' : 's'} (${outcome.jobs} jobs) in ${formatSeconds(outcome.wallSeconds)} → ${outcome.dir}\n`);
      io.stdout.write(formatComparison(outcome.comparison));
      if (args.report) await reportAfterRun(outcome.dir, io);
    },
  );
