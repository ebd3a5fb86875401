/** `recloop validate <scenario>`: check a scenario file; --print shows it with every default filled. */
import type { Argv } from 'yargs';
import { loadAnyScenario, toResolvedYaml } from '../../scenario/index.js';
import { resolvePlugins } from '../../plugins/resolve.js';
import { largeRunNote, machineMemory, withResourceCheck } from '../../run/resource-check.js';
import { estimateRun } from '../../run/resource-estimate.js';
import { noteTo, type CliIo, type CommandModule } from './types.js';

export const validateCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'validate <scenario>',
    'check a scenario file',
    (y) =>
      y
        .positional('scenario', { type: 'string', demandOption: true })
        .option('set', { type: 'string', array: true, default: [] as string[], describe: 'override a field, as for run' })
        .option('print', { type: 'boolean', default: false, describe: 'print the scenario with every default filled' }),
    async (args) => {
      const scenario = await loadAnyScenario(args.scenario, args.set.map(String), { onNote: noteTo(io), resolve: withResourceCheck(resolvePlugins) });
      // What `recloop run` would say before a large run: its cost, known before it starts.
      const note = largeRunNote(estimateRun(scenario), machineMemory());
      if (note !== undefined) io.stderr.write(`${note}\n`);
      if (args.print) io.stdout.write(toResolvedYaml(scenario));
      else io.stdout.write(`${args.scenario}: valid scenario "${scenario.name}"\n`);
    },
  );
