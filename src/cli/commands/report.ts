/**
 * `recloop report <dir>`: charts (SVG, PNG), report.html and summary.md for a run folder or a
 * compare folder (one with comparison.json). `recloop run` calls writeRunReport at its end.
 * The report module (vega, resvg) is imported on first use, so other commands start fast.
 */
import type { Argv } from 'yargs';
import { UserError, type CliIo, type CommandModule } from './types.js';

export interface ReportCliOptions {
  readonly outDir?: string;
  readonly png?: boolean;
}

/** Writes the report and prints where it went; a malformed input folder is a UserError. */
export async function writeRunReport(dir: string, io: CliIo, options: ReportCliOptions = {}): Promise<string> {
  const report = await import('../../report/index.js');
  try {
    const outcome = await report.writeReport(dir, options);
    for (const warning of outcome.warnings) io.stderr.write(`report warning: ${warning}\n`);
    io.stderr.write(`report: ${outcome.charts.length} charts → ${outcome.html} (summary: ${outcome.markdown})\n`);
    return outcome.html;
  } catch (error) {
    if (error instanceof report.ReportInputError) throw new UserError(error.message);
    throw error;
  }
}

/** At the end of `recloop run`: a failed report must not read as a failed run. */
export async function reportAfterRun(dir: string, io: CliIo): Promise<void> {
  try {
    await writeRunReport(dir, io);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the run is complete in ${dir}, but its report failed: ${reason} (retry with: recloop report ${dir})`);
  }
}

export const reportCommand: CommandModule = (yargs: Argv, io: CliIo) =>
  yargs.command(
    'report <dir>',
    'write charts, report.html and summary.md for a run or compare folder',
    (y) =>
      y
        .positional('dir', { type: 'string', demandOption: true, describe: 'run folder, or compare folder with comparison.json' })
        .option('out', { type: 'string', describe: 'write the report here (default: into <dir>)' })
        .option('png', { type: 'boolean', default: true, describe: 'render PNGs beside the SVGs; --no-png skips them' }),
    async (args) => {
      // A plug-in metric is declared by its file: load the folder's plug-ins as its run did.
      const { loadFolderPlugins } = await import('../../plugins/folder-plugins.js');
      const problem = await loadFolderPlugins(args.dir);
      if (problem !== undefined) io.stderr.write(`report warning: the folder's plug-ins did not load, their metrics are shown undeclared: ${problem}\n`);
      await writeRunReport(args.dir, io, { outDir: args.out, png: args.png });
    },
  );
