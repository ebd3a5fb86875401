/**
 * `recloop ope-log <imported log> --target … --truth <imported log>`: a target policy's click
 * rate estimated from a real log (src/ope/logged) and checked against the click rate of a log
 * that policy served itself.
 */
import type { Argv } from 'yargs';
import { evaluateLoggedPolicy, LOGGED_TARGETS, type LoggedTarget } from '../../ope/logged/evaluate-logged.js';
import { formatLoggedOpeTable, writeLoggedOpe } from '../../ope/logged/logged-report.js';
import { OpeLogError } from '../../ope/logged/ope-log-error.js';
import { UserError, type CliIo, type CommandModule } from './types.js';
import { wholeNumberOption } from './whole-number.js';

const DEFAULT_DRAWS = 1_000_000;

export const opeLogCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'ope-log <log>',
    "estimate a target policy's click rate from an imported log (IPS, SNIPS, DM, DR) and compare it with the on-policy click rate of another",
    (y) =>
      y
        .positional('log', { type: 'string', demandOption: true, describe: 'an imported log with propensities (recloop import)' })
        .option('target', {
          choices: LOGGED_TARGETS,
          demandOption: true,
          describe: "the policy to evaluate: uniform; bernoulli_thompson from its priors; truth_exposure, the --truth log's own (item, slot) exposure shares",
        })
        .option('priors', { type: 'string', describe: 'bernoulli_thompson: the YAML of Beta priors per campaign (alpha, beta lists)' })
        .option('campaign', { type: 'string', describe: 'bernoulli_thompson: the campaign in the priors file' })
        .option('draws', { type: 'string', describe: `bernoulli_thompson: Monte-Carlo draws for its (item, slot) probabilities (default ${DEFAULT_DRAWS})` })
        .option('truth', { type: 'string', describe: 'an imported log the target served on the same traffic: its click rate is the truth' })
        .option('bootstrap', { type: 'string', describe: 'bootstrap resamples (default 200)' })
        .option('seed', { type: 'string', describe: 'root seed of the Monte-Carlo draws and the bootstrap (default 1)' })
        .option('out', { type: 'string', describe: 'result folder (default: <log>-ope-<target>)' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing result folder' })
        .example(
          '$0 ope-log output/obd-random --target bernoulli_thompson --priors data/open-bandit-dataset/prior_bts.yaml --campaign men --truth output/obd-bts',
          "Thompson sampling's click rate from the random log, against the Thompson log's",
        ),
    async (args) => {
      const target = targetOf(args.target, args.priors, args.campaign, wholeNumberOption('draws', args.draws, 1) ?? DEFAULT_DRAWS);
      const bootstrap = wholeNumberOption('bootstrap', args.bootstrap, 2) ?? 200;
      const seed = wholeNumberOption('seed', args.seed) ?? 1;
      const outDir = args.out ?? `${args.log.replace(/[\\/]+$/, '')}-ope-${target.policy}`;
      try {
        const report = await writeLoggedOpe(outDir, args.force, () =>
          evaluateLoggedPolicy({ logDir: args.log, ...(args.truth === undefined ? {} : { truthDir: args.truth }), target, bootstrap, confidence: 0.95, seed }),
        );
        io.stdout.write(formatLoggedOpeTable(report));
        io.stderr.write(`→ ${outDir}\n`);
      } catch (error) {
        if (error instanceof OpeLogError) throw new UserError(error.message);
        throw error;
      }
    },
  );

function targetOf(policy: string, priors: string | undefined, campaign: string | undefined, draws: number): LoggedTarget {
  if (policy === 'uniform' || policy === 'truth_exposure') {
    if (priors !== undefined || campaign !== undefined) throw new UserError('--priors, --campaign: only for --target bernoulli_thompson');
    return { policy };
  }
  if (priors === undefined || campaign === undefined) throw new UserError('--target bernoulli_thompson needs --priors FILE and --campaign NAME');
  return { policy: 'bernoulli_thompson', priors, campaign, draws };
}
