/** `recloop run <scenario>`: simulate one scenario and write its run folder. */
import { basename, join } from 'node:path';
import type { Argv } from 'yargs';
import { banditReport } from '../../bandit/text-report.js';
import { runBanditScenario } from '../../bandit/run-bandit.js';
import { isBanditScenario, loadAnyScenario, loadScenario, type BanditScenario } from '../../scenario/index.js';
import { resolvePlugins } from '../../plugins/resolve.js';
import { resumeRun, RUN_FILES, RunStopped, runScenario, type RunOptions, type RunOutcome } from '../../run/run-scenario.js';
import { findResumable } from '../../run/staging-cleanup.js';
import { estimateRun, splitOverThreads } from '../../run/resource-estimate.js';
import { epochWork } from '../../run/epoch-work.js';
import { largeRunNote, machineMemory, resourceRefusal, withResourceCheck } from '../../run/resource-check.js';
import { createProgress, formatSeconds } from '../progress.js';
import { reportAfterRun } from './report.js';
import { HEADLINE_METRICS, isDefined, UNDEFINED_MARK } from '../../metrics/index.js';
import type { MetricsRow } from '../../run/summary.js';
import { noteTo, UserError, type CliIo, type CommandModule } from './types.js';
import { wholeNumberOption } from './whole-number.js';


export const runCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'run [scenario]',
    'simulate a scenario and write its results',
    (y) =>
      y
        .positional('scenario', { type: 'string', describe: 'scenario YAML file' })
        .option('resume', { type: 'string', describe: 'go on with the stopped run of this run folder from its last checkpoint (Ctrl-C stops a run after its epoch, resumable)' })
        .option('out', { type: 'string', describe: 'run folder (default: output/<scenario name>)' })
        .option('seed', { type: 'string', describe: 'root seed (overrides the scenario)' })
        .option('set', { type: 'string', array: true, default: [] as string[], describe: 'override a field, e.g. --set world.users.count=5000' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing run folder' })
        .option('workers', { type: 'string', describe: 'threads to split the run over, by users; the results do not depend on it (two-stage runs 1.2–1.6× faster on 2 threads, holding one more world and recommender in memory per thread: docs/PERFORMANCE.md)' })
        .option('logs', { type: 'boolean', describe: 'write impression logs (Parquet); --no-logs turns them off' })
        .option('report', { type: 'boolean', default: true, describe: 'write charts, report.html and summary.md at the end; --no-report skips them' }),
    async (args) => {
      if (args.resume !== undefined) {
        if (args.scenario !== undefined || args.set.length > 0 || args.seed !== undefined || args.workers !== undefined || args.logs !== undefined || args.out !== undefined) {
          throw new UserError('--resume goes on with the stopped run as it was started: give the run folder alone, e.g. recloop run --resume output/two-stage');
        }
        const outcome = await resume(args.resume, io);
        if (args.report) await reportAfterRun(outcome, io);
        return;
      }
      if (args.scenario === undefined) throw new UserError('recloop run: give a scenario file, e.g. recloop run scenarios/popularity.yaml, or --resume <run folder>');
      const seed = wholeNumberOption('seed', args.seed);
      const workers = wholeNumberOption('workers', args.workers, 1) ?? 1;
      const overrides = args.set.map(String);
      if (seed !== undefined) overrides.push(`seed=${seed}`);
      if (args.logs !== undefined) overrides.push(`logs.impressions=${args.logs}`);
      const scenario = await loadAnyScenario(args.scenario, overrides, { onNote: noteTo(io), resolve: withResourceCheck(resolvePlugins) });
      const split = splitOverThreads(estimateRun(scenario), workers);
      const refusal = workers > 1 ? resourceRefusal(split, machineMemory()) : undefined;
      if (refusal !== undefined) throw new UserError(`${args.scenario}: on ${workers} threads the run ${refusal} (or use fewer --workers)`);
      const note = largeRunNote(split, machineMemory());
      if (note !== undefined) io.stderr.write(`${note}\n`);
      const outDir = args.out ?? join('output', scenario.name);
      if (workers > 1 && !isBanditScenario(scenario)) {
        io.stderr.write(`${scenario.name}: no checkpoints on ${workers} threads (each holds its own copy of the run); Ctrl-C ends the run, and --resume cannot continue it\n`);
      }
      if (isBanditScenario(scenario)) {
        const dir = await runBandit(scenario, outDir, args.force, io);
        if (args.report) await reportAfterRun(dir, io);
        return;
      }
      const outcome = await runWithProgress(scenario.name, io, (display) => runScenario(scenario, { outDir, force: args.force, workers, ...display }), epochWork(scenario));
      if (args.report) await reportAfterRun(outcome.dir, io);
    },
  );

/** The stopped run of `outDir`, resumed from its last checkpoint; returns the finished folder. */
async function resume(outDir: string, io: CliIo): Promise<string> {
  const stopped = findResumable(outDir);
  if (stopped === undefined) throw new UserError(`--resume ${outDir}: no stopped run of that folder waits to be resumed (its staging folder, .${basename(outDir)}.tmp-*, holds none with a checkpoint)`);
  const scenario = await loadScenario(join(stopped, RUN_FILES.scenario), [], { onNote: noteTo(io), resolve: withResourceCheck(resolvePlugins) });
  io.stderr.write(`${scenario.name}: resuming from ${stopped}\n`);
  return (await runWithProgress(scenario.name, io, (display) => resumeRun(scenario, stopped, { outDir, ...display }), epochWork(scenario))).dir;
}

/**
 * A run with its progress, then its headline metrics. Ctrl-C is answered at once (the epoch in
 * progress may take a while); a run it stopped says how to resume it and ends with the shell's
 * code for SIGINT. `work`: what each epoch is expected to take (run/epoch-work.ts), so the time
 * left counts the busier epochs to come.
 */
export async function runWithProgress(
  name: string,
  io: CliIo,
  start: (display: Pick<RunOptions, 'onEpoch' | 'onStopRequest'>) => Promise<RunOutcome>,
  work?: ArrayLike<number>,
): Promise<RunOutcome> {
  let progress: ReturnType<typeof createProgress> | undefined;
  let outcome: RunOutcome;
  const started = performance.now();
  try {
    outcome = await start({
      onEpoch: (result, total) => {
        // Later epochs cost more as a world's traffic grows: the time left at the latest epoch's pace
        // (per expected slate, run/epoch-work.ts). A resumed run's epochs before its checkpoint took no time here.
        progress ??= createProgress(name, total, io.stderr, started, work === undefined ? 'latest' : { work }, result.bounds.epoch);
        const m = result.metrics;
        progress.update(result.bounds.epoch + 1, `day ${result.bounds.end.toFixed(0)} ctr ${fmt(m.ctr)} entropy ${fmt(m.topic_entropy_impressions)}`);
      },
      onStopRequest: () => io.stderr.write('\nstopping after the epoch in progress, with a checkpoint to resume from (Ctrl-C again stops at once; a resume then goes back to the last checkpoint)\n'),
    });
  } catch (error) {
    if (!(error instanceof RunStopped)) throw error;
    io.stderr.write(`\n${error.message}\n`);
    process.exit(130);
  }
  const done = `${name}: ${outcome.summary.epochs} epochs in ${formatSeconds(outcome.wallSeconds)} → ${outcome.dir}`;
  if (progress) progress.finish(done);
  else io.stderr.write(`${done}\n`);
  const { first, last } = outcome.summary;
  io.stdout.write(`${'metric'.padEnd(34)} ${'first epoch'.padStart(12)}   last epoch\n`);
  // A metric undefined in an epoch (return rate in the first) prints as –, not as the 0 it writes.
  const value = (row: MetricsRow, key: string): string => (isDefined(key, row) ? fmt(row[key]) : UNDEFINED_MARK);
  for (const key of HEADLINE_METRICS) {
    if (key in last) io.stdout.write(`${key.padEnd(34)} ${value(first, key).padStart(12)} → ${value(last, key)}\n`);
  }
  return outcome;
}

/** A bandit world: progress per metrics row, then the regret curve, the bound and the arms. */
async function runBandit(scenario: BanditScenario, outDir: string, force: boolean, io: CliIo): Promise<string> {
  let progress: ReturnType<typeof createProgress> | undefined;
  const started = performance.now();
  const outcome = await runBanditScenario(scenario, {
    outDir,
    force,
    onRow: (row, done, total) => {
      progress ??= createProgress(scenario.name, total, io.stderr, started);
      progress.update(done, `round ${row.round} regret ${fmt(row.cumulative_regret)}`);
    },
  });
  const rate = `${Math.round(outcome.roundsPerSecond).toLocaleString('en-US')} rounds/s`;
  const done = `${scenario.name}: ${outcome.summary.rounds} rounds of ${outcome.summary.policy} on ${outcome.summary.arms} arms in ${formatSeconds(outcome.wallSeconds)} (${rate}) → ${outcome.dir}`;
  if (progress) progress.finish(done);
  else io.stderr.write(`${done}\n`);
  for (const line of banditReport(outcome.summary, outcome.rows)) io.stdout.write(`${line}\n`);
  return outcome.dir;
}

function fmt(x: number | undefined): string {
  if (x === undefined) return '-';
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3);
}
