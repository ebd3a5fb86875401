/**
 * The recloop command line. `runCli` returns the exit code instead of exiting, so tests can
 * drive it in-process. Expected failures (bad scenario, existing output, bad usage) print one
 * clear message and no stack trace. Each command lives in commands/; adding one is a file
 * there plus one line in COMMANDS.
 */
import yargs, { type ArgumentsCamelCase, type Argv } from 'yargs';
import { ScenarioError } from '../scenario/index.js';
import { OutputExistsError } from '../run/output-dir.js';
import { SweepError } from '../sweep/errors.js';
import { classicCommand } from './commands/classic.js';
import { compareCommand } from './commands/compare.js';
import { fitCommand } from './commands/fit.js';
import { fitCheckCommand } from './commands/fit-check.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { opeCommand } from './commands/ope.js';
import { opeLogCommand } from './commands/ope-log.js';
import { queryCommand } from './commands/query.js';
import { reportCommand } from './commands/report.js';
import { replayCommand } from './commands/replay.js';
import { runCommand } from './commands/run.js';
import { sweepCommand } from './commands/sweep.js';
import { mergeCommand } from './commands/merge.js';
import { UserError, type CliIo, type CommandModule } from './commands/types.js';
import { validateCommand } from './commands/validate.js';

export type { CliIo } from './commands/types.js';

const COMMANDS: readonly CommandModule[] = [runCommand, compareCommand, sweepCommand, mergeCommand, opeCommand, opeLogCommand, replayCommand, importCommand, fitCommand, fitCheckCommand, reportCommand, validateCommand, queryCommand, initCommand, classicCommand];

const EXIT_USER_ERROR = 2;

export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let parser = yargs([...argv]).scriptName('recloop').usage('$0 <command> [options]');
  for (const register of COMMANDS) parser = register(parser, io);
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
