/**
 * `recloop init`: asks the scoping questions of a design review (surface, objective, logged
 * signals, scale, cold start, latency budget) and writes a commented scenario that validates.
 * Every question is also a flag; with --yes the unanswered ones take their defaults.
 */
import type { Argv } from 'yargs';
import { AnswerError, InputEndedError, QUESTIONS, ScenarioFileExistsError, initScenario, type InitAnswers } from '../../init/index.js';
import { UserError, type CliIo, type CommandModule } from './types.js';

export const initCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'init',
    'write a commented scenario file from the questions a design review starts with',
    (y) => {
      let withFlags = y;
      for (const question of QUESTIONS) {
        const choices = question.choices === undefined ? '' : ` (${question.choices.join(', ')})`;
        withFlags = withFlags.option(question.flag, { type: 'string', describe: `${question.prompt}${choices}: ${question.why}` });
      }
      return withFlags
        .option('out', { type: 'string', describe: 'file to write (default: <name>.yaml)' })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'ask nothing: unanswered questions take their defaults' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing file' })
        .example('$0 init', 'answer the questions one by one')
        .example(
          '$0 init --surface home_feed --objective satisfaction --signals click,watch,survey --users 20k --items 50k --days 60 --cold-start random_startup,fresh --latency-budget-ms 80 --out review.yaml --yes',
          'everything as flags',
        );
    },
    async (args) => {
      const given: Partial<Record<keyof InitAnswers, string>> = {};
      for (const question of QUESTIONS) {
        const value: unknown = args[question.flag];
        if (typeof value === 'string') given[question.key] = value;
      }
      const result = await initScenario({
        given,
        out: args.out,
        force: args.force,
        ask: args.yes ? undefined : { input: process.stdin, output: io.stdout },
      }).catch((error: unknown) => {
        // Wrong answers, an input that ended, an existing file: the user's to fix.
        if (error instanceof AnswerError || error instanceof InputEndedError || error instanceof ScenarioFileExistsError) {
          throw new UserError(error.message);
        }
        throw error;
      });
      const a = result.answers;
      io.stdout.write(
        `wrote ${result.file}: ${a.recommender} recommender on a ${a.surface} surface, ${a.users} users, ${a.items} items, ${a.days} ${a.days === 1 ? 'day' : 'days'}\n` +
          `next: recloop validate ${result.file} --print   (every default)\n` +
          `      recloop run ${result.file}\n`,
      );
    },
  );
