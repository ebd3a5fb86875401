/**
 * `recloop report <dir..>`: charts (SVG, PNG), report.html and summary.md for a run folder, a
 * compare folder (one with comparison.json), an OPE folder (`recloop ope` or `recloop ope-log`) or a
 * fitted world's check (`recloop fit-check`), or for several run folders overlaid
 * (a series per run, into --out). `recloop run` calls writeRunReport at its end.
 * The report module (vega, resvg) is imported on first use, so other commands start fast.
 */
import type { Argv } from 'yargs';
import { UserError, type CliIo, type CommandModule } from './types.js';

export interface ReportCliOptions {
  readonly outDir?: string;
  readonly png?: boolean;
}

/** Writes the report and prints where it went; a malformed input folder is a UserError. */
export async function writeRunReport(dir: string | readonly string[], io: CliIo, options: ReportCliOptions = {}): Promise<string> {
  const report = await import('../../report/index.js');
  try {
    const outcome = await report.writeReport(dir, options);
    for (const warning of outcome.warnings) io.stderr.write(`report warning: ${warning}\n`);
    io.stderr.write(`report: ${outcome.charts.length} charts → ${outcome.html} (summary: ${outcome.markdown})\n`);
    // A sweep's finding, where the comparison table leaves the reader: which cells are efficient.
    const frontier = report.frontierSentence(outcome.data);
    if (frontier !== undefined) io.stdout.write(`\nTrade-off frontier: ${frontier}\n`);
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
    'report <dirs..>',
    'write charts, report.html and summary.md for a run, compare, OPE or fit-check folder, or several run folders overlaid',
    (y) =>
      y
        .positional('dirs', {
          type: 'string',
          array: true,
          demandOption: true,
          describe: 'run folder, compare folder with comparison.json, OPE folder (ope.json or ope-log.json) or fit-check folder; several run folders are overlaid, a series per run (needs --out)',
        })
        .option('out', { type: 'string', describe: 'write the report here (default: into the folder)' })
        .option('png', { type: 'boolean', default: true, describe: 'render PNGs beside the SVGs; --no-png skips them' }),
    async (args) => {
      // A plug-in metric is declared by its file: load each folder's plug-ins as its run did.
      const { loadFolderPlugins } = await import('../../plugins/folder-plugins.js');
      for (const dir of args.dirs) {
        const problem = await loadFolderPlugins(dir);
        if (problem !== undefined) io.stderr.write(`report warning: ${dir}: the folder's plug-ins did not load, their metrics are shown undeclared: ${problem}\n`);
      }
      await writeRunReport(args.dirs, io, { outDir: args.out, png: args.png });
    },
  );
