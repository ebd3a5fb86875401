/**
 * The recloop command line. `runCli` returns the exit code instead of exiting, so tests can
 * drive it in-process. Expected failures (bad scenario, existing output, bad usage) print one
 * clear message and no stack trace. Each command lives in commands/; adding one is a file
 * there plus one line in COMMANDS.
 */
import yargs, { type ArgumentsCamelCase, type Argv } from 'yargs';
import { ScenarioError } from '../scenario/problems.js';
import { OutputExistsError } from '../run/output-dir.js';
import { SweepError } from '../sweep/errors.js';
import { UserError, type CliIo, type CommandModule } from './commands/types.js';

export type { CliIo } from './commands/types.js';

/**
 * Each command by the word that names it, loaded when asked for: a command's modules (the
 * simulation, DuckDB, the charts) take about a second to load, and only the one named is needed.
 * In the order `--help` lists them.
 */
const COMMANDS: readonly (readonly [string, () => Promise<CommandModule>])[] = [
  ['run', async () => (await import('./commands/run.js')).runCommand],
  ['compare', async () => (await import('./commands/compare.js')).compareCommand],
  ['sweep', async () => (await import('./commands/sweep.js')).sweepCommand],
  ['merge', async () => (await import('./commands/merge.js')).mergeCommand],
  ['ope', async () => (await import('./commands/ope.js')).opeCommand],
  ['ope-log', async () => (await import('./commands/ope-log.js')).opeLogCommand],
  ['replay', async () => (await import('./commands/replay.js')).replayCommand],
  ['import', async () => (await import('./commands/import.js')).importCommand],
  ['fit', async () => (await import('./commands/fit.js')).fitCommand],
  ['fit-check', async () => (await import('./commands/fit-check.js')).fitCheckCommand],
  ['report', async () => (await import('./commands/report.js')).reportCommand],
  ['validate', async () => (await import('./commands/validate.js')).validateCommand],
  ['query', async () => (await import('./commands/query.js')).queryCommand],
  ['init', async () => (await import('./commands/init.js')).initCommand],
  ['classic', async () => (await import('./commands/classic.js')).classicCommand],
];

/** The command the first word names, or all of them (for --help, or a message that lists them). */
async function commandsFor(argv: readonly string[]): Promise<CommandModule[]> {
  const named = COMMANDS.filter(([word]) => word === argv[0]);
  return Promise.all((named.length > 0 ? named : COMMANDS).map(([, load]) => load()));
}

const EXIT_USER_ERROR = 2;

export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let parser = yargs([...argv]).scriptName('recloop').usage('$0 <command> [options]');
  for (const register of await commandsFor(argv)) parser = register(parser, io);
  parser = parser
    .middleware((argv) => rejectRepeatedOptions(argv, listOptions(parser)))
    .demandCommand(1, 'name a command (see --help)')
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((message: string | undefined, error: unknown) => {
      if (error) throw error;
      throw new UserError(message ?? 'invalid command line');
    });
  try {
    await parser.parseAsync();
    return 0;
  } catch (error) {
    if (error instanceof ScenarioError || error instanceof OutputExistsError || error instanceof SweepError || error instanceof UserError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_USER_ERROR;
    }
    io.stderr.write(`recloop: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.RECLOOP_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

/**
 * yargs makes an option given twice an array, which a command taking one value would pass on
 * as a path or number; every option but the list ones (--set, --grid, --runs) is given once.
 */
function rejectRepeatedOptions(argv: ArgumentsCamelCase, lists: ReadonlySet<string>): void {
  for (const [key, value] of Object.entries(argv)) {
    if (key === '_' || key === '$0' || lists.has(key) || !Array.isArray(value)) continue;
    throw new UserError(`--${key}: given ${value.length} times (${value.map(String).join(', ')}); give it once`);
  }
}

/** The options of the command being run that take a list (yargs knows them; its types do not say so). */
function listOptions(parser: Argv): ReadonlySet<string> {
  const withOptions = parser as unknown as { getOptions?: () => { array?: unknown } };
  const array = withOptions.getOptions?.().array;
  return new Set(Array.isArray(array) ? array.map(String) : []);
}
