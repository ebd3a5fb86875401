/**
 * `recloop import <format> <path> --out DIR`: an external interaction log turned into recloop's
 * impression log (src/import), a folder `recloop query` reads and `recloop ope-log` evaluates.
 */
import type { Argv } from 'yargs';
import { ImportError } from '../../import/import-error.js';
import { importLog, type CsvLayoutOptions } from '../../import/import-log.js';
import { IMPORT_FORMATS, type ImportFormat } from '../../import/layout.js';
import { UserError, type CliIo, type CommandModule } from './types.js';
import { wholeNumberOption } from './whole-number.js';

/** The csv format's column options, each naming a column of the file. */
const COLUMN_OPTIONS = {
  item: 'item ids (whole numbers from 0); required',
  click: 'clicks (0/1 or true/false); this or --reward is required',
  reward: 'a numeric reward, kept as the reward column; clicked means reward > 0',
  position: 'slots (whole numbers from --position-base); absent: every row at slot 0',
  propensity: "the logging policy's probability of that item at that slot, in (0, 1]",
  user: 'user ids (whole numbers from 0); absent: NULL',
  time: 'date-times (UTC unless they name a zone) or numbers of days; absent: all at 0',
  slate: 'slate ids (whole numbers): rows of a slate share one; absent: each row its own slate',
} as const;

export const importCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'import <format> <path>',
    "turn an external log (the Open Bandit Dataset's layout, or a CSV or Parquet file with named columns) into recloop's impression log",
    (y) => {
      let built = y
        .positional('format', { choices: IMPORT_FORMATS, demandOption: true, describe: 'obd: the Open Bandit Dataset; csv: a CSV or Parquet file whose columns the options name' })
        .positional('path', { type: 'string', demandOption: true, describe: 'the log file (for obd also its campaign folder, with item_context.csv)' })
        .option('out', { type: 'string', demandOption: true, describe: 'the folder to write' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing folder recloop wrote' })
        .option('arm', { type: 'string', describe: "the logging policy's name in the arm column (default: obd's policy folder, random or bts; csv: logged)" })
        .option('position-base', { type: 'string', describe: 'csv: the number of the first slot, 0 or 1 (default 0)' })
        .option('slots', { type: 'string', describe: 'csv: slots per slate; a position beyond is an error' })
        .option('feature', { type: 'string', array: true, default: [] as string[], describe: 'csv: a column copied into the log under its name; repeat for several' });
      for (const [name, describe] of Object.entries(COLUMN_OPTIONS)) built = built.option(name, { type: 'string', describe: `csv: the column of ${describe}` });
      return built
        .example('$0 import obd data/open-bandit-dataset/random/men --out output/obd-random', "the data set's uniform-random log")
        .example('$0 import csv log.csv --item item --click clicked --position slot --propensity p --out output/my-log', 'a log of your own');
    },
    async (args) => {
      const format = args.format as ImportFormat;
      const text = (name: keyof typeof COLUMN_OPTIONS): string | undefined => {
        const value: unknown = args[name];
        return value === undefined ? undefined : String(value);
      };
      const named = Object.keys(COLUMN_OPTIONS).filter((name) => args[name] !== undefined);
      const csvOnly = [...named, ...(args.slots !== undefined ? ['slots'] : []), ...(args.positionBase !== undefined ? ['position-base'] : []), ...(args.feature.length > 0 ? ['feature'] : [])];
      if (format === 'obd' && csvOnly.length > 0) {
        throw new UserError(`--${csvOnly[0]}: the obd format knows its columns; column options are for the csv format`);
      }
      let columns: CsvLayoutOptions | undefined;
      if (format === 'csv') {
        const item = text('item');
        if (item === undefined) throw new UserError('--item: the csv format needs the column of item ids');
        const base = wholeNumberOption('position-base', args.positionBase, 0);
        if (base !== undefined && base > 1) throw new UserError(`--position-base: expected 0 or 1, found ${base}`);
        const slots = wholeNumberOption('slots', args.slots, 1);
        columns = {
          item,
          ...optional('click', text('click')),
          ...optional('reward', text('reward')),
          ...optional('position', text('position')),
          ...optional('propensity', text('propensity')),
          ...optional('user', text('user')),
          ...optional('time', text('time')),
          ...optional('slate', text('slate')),
          ...(base === undefined ? {} : { positionBase: base === 1 ? 1 : 0 }),
          ...(slots === undefined ? {} : { slots }),
          features: args.feature.map(String),
        };
      }
      try {
        const { dir, document } = await importLog({
          format,
          path: args.path,
          outDir: args.out,
          force: args.force,
          ...(args.arm === undefined ? {} : { arm: args.arm }),
          ...(columns === undefined ? {} : { columns }),
        });
        io.stdout.write(
          `${document.rows} impressions (${document.clicks} clicks; ${document.slates} slates, ${document.slots} slots, ${document.items} items), logged by ${document.arm} → ${dir}\n`,
        );
      } catch (error) {
        if (error instanceof ImportError) throw new UserError(error.message);
        throw error;
      }
    },
  );

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
