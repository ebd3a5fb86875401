/**
 * `recloop fit <imported log> --out DIR`: a world fitted to a real log (src/fit): each item's
 * click propensity, each slot's position bias and each user segment's multiplier, with their
 * standard errors, and a scenario that simulates the logged setting in it.
 */
import type { Argv } from 'yargs';
import { FitError } from '../../fit/fit-error.js';
import { fitLog } from '../../fit/fit-log.js';
import { formatFittedWorld } from '../../fit/fit-table.js';
import { UserError, type CliIo, type CommandModule } from './types.js';
import { wholeNumberOption } from './whole-number.js';

export const DEFAULT_SEGMENTS = 8;
export const DEFAULT_MIN_SEGMENT_SHARE = 0.03;
export const DEFAULT_ITEM_PRIOR_SD = 1;
export const DEFAULT_SEGMENT_PRIOR_SD = 0.5;

export const fitCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'fit <log>',
    'fit a world to an imported log: click propensity per item, position bias per slot, segments from the user features, each with its standard error',
    (y) =>
      y
        .positional('log', { type: 'string', demandOption: true, describe: 'an imported log with slots (recloop import), ideally logged uniformly at random' })
        .option('out', { type: 'string', describe: 'result folder (default: <log>-fit)' })
        .option('segment-by', { type: 'string', describe: "comma-separated feature columns whose value combinations make the segments (default: the log's user_feature_* columns; '' for one segment)" })
        .option('segments', { type: 'string', describe: `at most this many segments besides "other" (default ${DEFAULT_SEGMENTS})` })
        .option('min-segment-share', { type: 'number', describe: `a combination needs this share of the impressions to be a segment (default ${DEFAULT_MIN_SEGMENT_SHARE})` })
        .option('item-prior-sd', { type: 'number', describe: `prior sd of log q around the items' common mean: the shrinkage (default ${DEFAULT_ITEM_PRIOR_SD})` })
        .option('segment-prior-sd', { type: 'number', describe: `prior sd of a segment's log multiplier around 0 (default ${DEFAULT_SEGMENT_PRIOR_SD})` })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing result folder' })
        .example('$0 fit output/obd-random --out output/obd-world', 'a world fitted to the Open Bandit random log'),
    async (args) => {
      const outDir = args.out ?? `${args.log.replace(/[\\/]+$/, '')}-fit`;
      const segmentBy = args.segmentBy === undefined ? undefined : args.segmentBy.split(',').map((s) => s.trim()).filter((s) => s !== '');
      try {
        const { world, notes } = await fitLog({
          logDir: args.log,
          outDir,
          force: args.force,
          ...(segmentBy === undefined ? {} : { segmentBy }),
          maxSegments: wholeNumberOption('segments', args.segments, 0) ?? DEFAULT_SEGMENTS,
          minSegmentShare: fraction('min-segment-share', args.minSegmentShare, DEFAULT_MIN_SEGMENT_SHARE),
          priors: { itemSd: positive('item-prior-sd', args.itemPriorSd, DEFAULT_ITEM_PRIOR_SD), segmentSd: positive('segment-prior-sd', args.segmentPriorSd, DEFAULT_SEGMENT_PRIOR_SD) },
        });
        io.stdout.write(formatFittedWorld(world));
        for (const note of notes) io.stderr.write(`note: ${note}\n`);
        io.stderr.write(`→ ${outDir}\n`);
      } catch (error) {
        if (error instanceof FitError) throw new UserError(error.message);
        throw error;
      }
    },
  );

function positive(flag: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0 && Number.isFinite(value))) throw new UserError(`--${flag}: expected a positive number, found ${value}`);
  return value;
}

function fraction(flag: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value >= 0 && value <= 1)) throw new UserError(`--${flag}: expected a share from 0 to 1, found ${value}`);
  return value;
}
