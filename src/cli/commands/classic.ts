/**
 * `recloop classic <study.yaml>`: reproduces a classic study of recommender feedback loops in a
 * world of its own (src/classic). The one study so far is Chaney, Stewart and Engelhardt (2018);
 * its file says `study: chaney2018`.
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { formatStudyTable, loadChaneyStudy, runStudy, withSeedCount, writeStudy } from '../../classic/chaney2018/index.js';
import { createProgress, formatSeconds, type Progress } from '../progress.js';
import type { CliIo, CommandModule } from './types.js';
import { wholeNumberOption } from './whole-number.js';

export const classicCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'classic <study>',
    'reproduce a classic study (Chaney et al. 2018: homogenization and utility under each recommender, relative to an ideal oracle)',
    (y) =>
      y
        .positional('study', { type: 'string', demandOption: true, describe: 'study YAML file, e.g. scenarios/classic/chaney2018.yaml' })
        .option('out', { type: 'string', describe: 'result folder (default: output/<study name>)' })
        .option('seeds', { type: 'string', describe: 'number of seeds (overrides the file)' })
        .option('force', { type: 'boolean', default: false, describe: 'replace an existing result folder' }),
    async (args) => {
      const seeds = wholeNumberOption('seeds', args.seeds, 1);
      const config = withSeedCount(await loadChaneyStudy(args.study), seeds);
      const outDir = args.out ?? join('output', config.name);
      const started = performance.now();
      let progress: Progress | undefined;
      const { dir, result } = await writeStudy(outDir, args.force, config, () =>
        runStudy(config, (done, total) => {
          progress ??= createProgress(`${config.name}`, total, io.stderr, started);
          progress.update(done, 'runs');
        }),
      );
      const message = `${config.name}: ${result.runs.length} runs over ${result.seeds.length} seed${result.seeds.length === 1 ? '' : 's'} in ${formatSeconds((performance.now() - started) / 1000)} → ${dir}`;
      if (progress) progress.finish(message);
      else io.stderr.write(`${message}\n`);
      io.stdout.write(formatStudyTable(result));
    },
  );
