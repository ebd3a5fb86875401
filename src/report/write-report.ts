/**
 * The report, as phases: load the folder (or several run folders) → build chart specs → compile to Vega → render
 * charts/<id>.svg and .png → write report.html and summary.md beside them.
 */
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { buildCharts } from './charts/index.js';
import { compileChart, type CompiledChart } from './compile.js';
import { loadReportInputs } from './data/load.js';
import { ReportInputError } from './data/read-files.js';
import { reportHtml } from './html.js';
import { summaryMarkdown } from './markdown.js';
import { writeChartFiles, type RenderedChart } from './render.js';
import type { ReportData } from './types.js';
import { vegaBrowserBuild } from './vega-runtime.js';

export const REPORT_FILES = { html: 'report.html', markdown: 'summary.md', charts: 'charts' } as const;

export interface WriteReportOptions {
  /** Where report.html, summary.md and charts/ go (default: the input folder; required for several). */
  readonly outDir?: string;
  /** Render PNGs beside the SVGs (default true). */
  readonly png?: boolean;
}

export interface ReportOutcome {
  readonly data: ReportData;
  readonly html: string;
  readonly markdown: string;
  readonly charts: readonly (RenderedChart & { readonly title: string })[];
  /** Vega-Lite compile warnings, "<chart id>: <message>". */
  readonly warnings: readonly string[];
}

/** Specs compiled and ready to render; no files touched. */
export function compileReport(data: ReportData): CompiledChart[] {
  return buildCharts(data).map(compileChart);
}

export async function writeReport(dirs: string | readonly string[], options: WriteReportOptions = {}): Promise<ReportOutcome> {
  const list = typeof dirs === 'string' ? [dirs] : dirs;
  // Several runs have no folder of their own: writing into one of them would pass for its own report.
  if (list.length > 1 && options.outDir === undefined) throw new ReportInputError(`${list.length} run folders to overlay: say where the report goes (--out DIR)`);
  const outDir = options.outDir ?? list[0];
  const data = await loadReportInputs(list);
  const compiled = compileReport(data);
  const chartsDir = join(outDir, REPORT_FILES.charts);
  const rendered = await writeChartFiles(chartsDir, compiled, { png: options.png ?? true });
  await removeStaleCharts(chartsDir, rendered);
  const html = join(outDir, REPORT_FILES.html);
  const markdown = join(outDir, REPORT_FILES.markdown);
  const rel = (file: string | undefined) => (file === undefined ? undefined : relative(outDir, file).split('\\').join('/'));
  const files = rendered.map((r) => ({ id: r.id, svg: rel(r.svgFile), png: rel(r.pngFile) }));
  await writeFile(html, reportHtml(data, compiled, { vegaJs: await vegaBrowserBuild(), files }));
  await writeFile(markdown, summaryMarkdown(data));
  return {
    data,
    html,
    markdown,
    charts: rendered.map((r, i) => ({ ...r, title: compiled[i].chart.title })),
    warnings: compiled.flatMap((c) => c.warnings.map((w) => `${c.chart.id}: ${w}`)),
  };
}

/** A chart that the data no longer supports must not linger from an earlier report. */
async function removeStaleCharts(chartsDir: string, rendered: readonly RenderedChart[]): Promise<void> {
  const keep = new Set(rendered.flatMap((r) => [r.svgFile, r.pngFile]).filter((f): f is string => f !== undefined));
  for (const name of await readdir(chartsDir)) {
    const file = join(chartsDir, name);
    if (/\.(svg|png)$/.test(name) && !keep.has(file)) await rm(file);
  }
}
