/**
 * The recloop command line. `runCli` returns the exit code instead of exiting, so tests can
 * drive it in-process. Expected failures (bad scenario, existing output) print one clear
 * message and no stack trace.
 */
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import yargs from 'yargs';
import { loadScenario, ScenarioError, toResolvedYaml } from '../scenario/index.js';
import { OutputExistsError } from '../run/output-dir.js';
import { runScenario } from '../run/run-scenario.js';
import { createProgress, formatSeconds } from './progress.js';

export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
}

const EXIT_USAGE = 2;

export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const say = (text: string) => io.stdout.write(`${text}\n`);
  const complain = (text: string) => io.stderr.write(`${text}\n`);
  let exitCode = 0;

  const parser = yargs([...argv])
    .scriptName('recloop')
    .usage('$0 <command> [options]')
    .command(
      'run <scenario>',
      'simulate a scenario and write its results',
      (y) =>
        y
          .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
          .option('out', { type: 'string', describe: 'run folder (default: output/<scenario name>)' })
          .option('seed', { type: 'number', describe: 'root seed (overrides the scenario)' })
          .option('set', { type: 'string', array: true, default: [] as string[], describe: 'override a field, e.g. --set world.users.count=5000' })
          .option('force', { type: 'boolean', default: false, describe: 'replace an existing run folder' })
          .option('logs', { type: 'boolean', describe: 'write impression logs (Parquet); --no-logs turns them off' }),
      async (args) => {
        const overrides = [...args.set.map(String)];
        if (args.seed !== undefined) overrides.push(`seed=${args.seed}`);
        if (args.logs !== undefined) overrides.push(`logs.impressions=${args.logs}`);
        const scenario = await loadScenario(args.scenario, overrides);
        const outDir = args.out ?? join('output', scenario.name);
        const progress = createProgress(`${scenario.name}`, Math.ceil(scenario.horizon.days / scenario.recommender.retrain.every - 1e-9), io.stderr);
        const outcome = await runScenario(scenario, {
          outDir,
          force: args.force,
          onEpoch: (result) => {
            const m = result.metrics;
            progress.update(result.bounds.epoch + 1, `day ${result.bounds.end.toFixed(0)} ctr ${fmt(m.ctr)} entropy ${fmt(m.topic_entropy_impressions)}`);
          },
        });
        progress.finish(`${scenario.name}: ${outcome.summary.epochs} epochs in ${formatSeconds(outcome.wallSeconds)} → ${outcome.dir}`);
        const { first, last } = outcome.summary;
        for (const key of HEADLINE) if (key in last) say(`  ${key.padEnd(34)} ${fmt(first[key]).padStart(10)} → ${fmt(last[key])}`);
      },
    )
    .command(
      'validate <scenario>',
      'check a scenario file',
      (y) =>
        y
          .positional('scenario', { type: 'string', demandOption: true })
          .option('set', { type: 'string', array: true, default: [] as string[] })
          .option('print', { type: 'boolean', default: false, describe: 'print the scenario with every default filled' }),
      async (args) => {
        const scenario = await loadScenario(args.scenario, args.set.map(String));
        if (args.print) io.stdout.write(toResolvedYaml(scenario));
        else say(`${args.scenario}: valid scenario "${scenario.name}"`);
      },
    )
    .demandCommand(1, 'name a command: run or validate')
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((message: string | undefined, error: unknown) => {
      if (error) throw error;
      throw new UsageError(message ?? 'invalid command line');
    });

  try {
    await parser.parseAsync();
  } catch (error) {
    if (error instanceof ScenarioError || error instanceof OutputExistsError || error instanceof UsageError) {
      complain(error.message);
      exitCode = EXIT_USAGE;
    } else {
      complain(`recloop: ${error instanceof Error ? error.message : String(error)}`);
      if (process.env.RECLOOP_DEBUG && error instanceof Error && error.stack) complain(error.stack);
      exitCode = 1;
    }
  }
  return exitCode;
}

class UsageError extends Error {}

/** Figures printed at the end of a run, first epoch → last. */
const HEADLINE = [
  'ctr',
  'watch_minutes_per_active_user',
  'daily_active_users',
  'return_rate',
  'mean_true_satisfaction',
  'topic_entropy_impressions',
  'topic_entropy_consumption',
  'impression_gini',
  'catalog_coverage',
  'homogenization',
];

function fmt(x: number | undefined): string {
  if (x === undefined) return '-';
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3);
}
