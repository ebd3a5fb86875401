/**
 * Time to write the report (charts as SVG and PNG, report.html, summary.md) for a run of
 * scenarios/popularity.yaml's size, cold (first call: fonts read, Vega warmed up) and warm, with a breakdown by
 * phase; then the same for a synthetic run with every chart family and a synthetic experiment.
 *
 *   npx tsx bench/report.ts                          # simulates scenarios/popularity.yaml first (~15 s)
 *   npx tsx bench/report.ts --run output/popularity  # reuses an existing run folder
 *
 * Reports go to a temporary folder; the run folder is only read.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCharts, chooseFonts, compileChart, loadReportData, renderPng, renderSvg, writeReport } from '../src/report/index.js';
import { loadScenario } from '../src/scenario/index.js';
import { runScenario } from '../src/run/run-scenario.js';
import { writeSyntheticCompare, writeSyntheticRun } from '../tests/support/report-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'recloop-bench-report-'));

async function popularityRun(): Promise<string> {
  const given = process.argv.indexOf('--run');
  if (given >= 0 && process.argv[given + 1]) return process.argv[given + 1];
  const scenario = await loadScenario('scenarios/popularity.yaml', ['logs.impressions=false']);
  const started = performance.now();
  const outcome = await runScenario(scenario, { outDir: join(scratch, 'popularity') });
  console.log(`(simulated scenarios/popularity.yaml in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return outcome.dir;
}

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

async function bench(label: string, dir: string): Promise<void> {
  const out = mkdtempSync(join(scratch, 'report-'));
  const cold = await seconds(() => writeReport(dir, { outDir: out }));
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) warm.push(await seconds(() => writeReport(dir, { outDir: out })));
  warm.sort((a, b) => a - b);
  // Phases, warm: where the time goes.
  const fonts = chooseFonts();
  let t = performance.now();
  const data = await loadReportData(dir);
  const load = performance.now() - t;
  t = performance.now();
  const compiled = buildCharts(data).map(compileChart);
  const compile = performance.now() - t;
  let svgMs = 0;
  let pngMs = 0;
  for (const c of compiled) {
    t = performance.now();
    const svg = await renderSvg(c, fonts);
    svgMs += performance.now() - t;
    t = performance.now();
    renderPng(svg, fonts);
    pngMs += performance.now() - t;
  }
  console.log(
    `${label.padEnd(34)} ${String(compiled.length).padStart(2)} charts  cold ${cold.toFixed(2)} s  warm ${warm[1].toFixed(2)} s (median of 3)` +
      `  | load ${load.toFixed(0)} ms, specs+compile ${compile.toFixed(0)} ms, SVG ${svgMs.toFixed(0)} ms, PNG ${pngMs.toFixed(0)} ms`,
  );
}

await bench('popularity run (30 epochs)', await popularityRun());
await bench('synthetic run, every family (60 ep)', writeSyntheticRun(join(scratch, 'synthetic-run'), 60));
await bench('synthetic experiment, 3 arms × 5', writeSyntheticCompare(join(scratch, 'synthetic-compare'), 60, 5));
