/**
 * `recloop fit-check <fitted world> --truth <imported log>`: a policy run in a world fitted by
 * `recloop fit`, compared with a real log that policy served on the same traffic (src/fit).
 */
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Argv } from 'yargs';
import { checkFittedWorld } from '../../fit/fit-check.js';
import { formatFitCheckTable, writeFitCheck } from '../../fit/fit-check-report.js';
import { FitError } from '../../fit/fit-error.js';
import { FIT_POLICIES, FIT_SCENARIO_FILE, PARAMETER_MODES, POSTERIORS, readFitScenario, type FitScenario } from '../../fit/fit-scenario.js';
import { UserError, type CliIo, type CommandModule } from './types.js';
import { wholeNumberOption } from './whole-number.js';

export const fitCheckCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'fit-check <world>',
    'run a policy in a fitted world and compare its simulated logs with a real log of that policy: click rates per slot, item exposure (TVD), each gap with its interval over seeds',
    (y) =>
      y
        .positional('world', { type: 'string', demandOption: true, describe: `a folder recloop fit wrote, or its ${FIT_SCENARIO_FILE}` })
        .option('truth', { type: 'string', demandOption: true, describe: 'an imported log the policy served on the same traffic, not the one the world was fitted on' })
        .option('policy', { choices: FIT_POLICIES, describe: "the policy to simulate (default: the scenario's)" })
        .option('priors', { type: 'string', describe: 'bernoulli_thompson: the YAML of Beta priors per campaign' })
        .option('campaign', { type: 'string', describe: 'bernoulli_thompson: the campaign in the priors file' })
        .option('posterior', { choices: POSTERIORS, describe: 'bernoulli_thompson: updated on the simulated clicks every --batch impressions, or frozen at the priors (default updated)' })
        .option('batch', { type: 'string', describe: 'bernoulli_thompson: impressions between posterior updates (default 1000)' })
        .option('seeds', { type: 'string', describe: 'simulated logs (default 50)' })
        .option('seed', { type: 'string', describe: 'the first seed (default 1)' })
        .option('parameters', { choices: PARAMETER_MODES, describe: "drawn: each seed's world drawn from the fit's uncertainty (default); fitted: the estimates" })
        .option('out', { type: 'string', describe: 'result folder (default: <fit folder>-check-<policy>)' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing result folder' })
        .example(
          '$0 fit-check output/obd-world --policy bernoulli_thompson --priors data/open-bandit-dataset/prior_bts.yaml --campaign men --truth output/obd-bts',
          'Thompson sampling in the world fitted to the random log, against the real Thompson log',
        ),
    async (args) => {
      const scenarioFile = isFolder(args.world) ? join(args.world, FIT_SCENARIO_FILE) : args.world;
      try {
        const scenario = withOptions(await readFitScenario(scenarioFile), args);
        const outDir = args.out ?? `${dirname(scenarioFile).replace(/[\\/]+$/, '')}-check-${scenario.policy}`;
        const report = await writeFitCheck(outDir, args.force, () => checkFittedWorld({ scenarioFile, scenario, truthDir: args.truth }));
        io.stdout.write(formatFitCheckTable(report));
        io.stderr.write(`→ ${outDir}\n`);
      } catch (error) {
        if (error instanceof FitError) throw new UserError(error.message);
        throw error;
      }
    },
  );

interface CheckOptions {
  readonly policy?: FitScenario['policy'];
  readonly priors?: string;
  readonly campaign?: string;
  readonly posterior?: FitScenario['posterior'];
  readonly batch?: string;
  readonly seeds?: string;
  readonly seed?: string;
  readonly parameters?: FitScenario['parameters'];
}

/** The scenario with the command line's choices over it; Thompson's priors only with that policy. */
function withOptions(scenario: FitScenario, o: CheckOptions): FitScenario {
  const merged: FitScenario = {
    ...scenario,
    ...(o.policy === undefined ? {} : { policy: o.policy }),
    ...(o.priors === undefined ? {} : { priors: o.priors }),
    ...(o.campaign === undefined ? {} : { campaign: o.campaign }),
    ...(o.posterior === undefined ? {} : { posterior: o.posterior }),
    ...(o.parameters === undefined ? {} : { parameters: o.parameters }),
    batch: wholeNumberOption('batch', o.batch, 1) ?? scenario.batch,
    seeds: wholeNumberOption('seeds', o.seeds, 2) ?? scenario.seeds,
    seed: wholeNumberOption('seed', o.seed) ?? scenario.seed,
  };
  if (merged.policy === 'uniform' && (o.priors !== undefined || o.campaign !== undefined)) throw new UserError('--priors, --campaign: only for --policy bernoulli_thompson');
  if (merged.policy === 'bernoulli_thompson' && (merged.priors === null || merged.campaign === null)) {
    throw new UserError('--policy bernoulli_thompson needs --priors FILE and --campaign NAME');
  }
  return merged;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
