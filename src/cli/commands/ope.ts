/**
 * `recloop ope <scenario>`: off-policy evaluation checked against the simulator's truth. Runs
 * the logging policy in one world and the target online in a twin world (same seed), estimates
 * the target's value from the logging run (IPS, SNIPS, DM, DR with bootstrap intervals) and
 * reports each estimate's error. Settings come from the scenario's `ope:` section.
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { formatOpeTable, writeOpeRun } from '../../ope/report.js';
import { evaluateOffPolicy, OpeSettingsError } from '../../ope/run-ope.js';
import { loadScenario } from '../../scenario/index.js';
import { resolvePlugins } from '../../plugins/resolve.js';
import { withResourceCheck } from '../../run/resource-check.js';
import { UserError, noteTo, type CliIo, type CommandModule } from './types.js';
import { wholeNumberOption } from './whole-number.js';

export const opeCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'ope <scenario>',
    "estimate a target policy's value from a logging policy's log, and measure each estimator's error in a twin world",
    (y) =>
      y
        .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file (settings in its ope: section)' })
        .option('out', { type: 'string', describe: 'result folder (default: output/<scenario name>-ope)' })
        .option('seed', { type: 'string', describe: 'root seed (overrides the scenario)' })
        .option('set', { type: 'string', array: true, default: [] as string[], describe: 'override a field, e.g. --set ope.target.policy=uniform' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing result folder' }),
    async (args) => {
      const seed = wholeNumberOption('seed', args.seed);
      const overrides = args.set.map(String);
      if (seed !== undefined) overrides.push(`seed=${seed}`);
      const scenario = await loadScenario(args.scenario, overrides, { onNote: noteTo(io), resolve: withResourceCheck(resolvePlugins) });
      const outDir = args.out ?? join('output', `${scenario.name}-ope`);
      const started = performance.now();
      const { dir, report } = await writeOpeRun(outDir, args.force, scenario, () =>
        evaluateOffPolicy(scenario, (phase) => io.stderr.write(`${scenario.name}: ${phase}…\n`)).catch((error: unknown) => {
          throw error instanceof OpeSettingsError ? new UserError(error.message) : error;
        }),
      );
      io.stderr.write(`${scenario.name}: off-policy evaluation in ${((performance.now() - started) / 1000).toFixed(1)} s → ${dir}\n`);
      io.stdout.write(formatOpeTable(report));
    },
  );
