/**
 * Headless rendering: every chart becomes an SVG and a PNG of the expected size (read from the
 * PNG header), text is drawn with a real font offline, and the layout measures text with that
 * font (no blank margins from Vega's character-count guess).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCharts, chooseFonts, compileChart, loadReportData, PNG_SCALE, renderPng, renderSvg, writeReport, type ReportData, type ReportOutcome } from '../src/report/index.js';
import { shadedPeriods } from '../src/report/data/periods.js';
import { writeSyntheticCompare, writeSyntheticRun } from './support/report-fixtures.js';
import { tempDir } from './support/scenarios.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which a valid PNG has right after the signature. */
function pngSize(file: Buffer): { width: number; height: number } {
  expect(file.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(file.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: file.readUInt32BE(16), height: file.readUInt32BE(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]*\swidth="(\d+(?:\.\d+)?)"[^>]*\sheight="(\d+(?:\.\d+)?)"/.exec(svg);
  if (!match) throw new Error('no svg size');
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Pixels that are not background: ink of text or marks. */
function inkPixels(svg: string): number {
  const image = new Resvg(svg, { font: { fontFiles: [...chooseFonts().files], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } }).render();
  const rgba = image.pixels;
  let ink = 0;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] > 0) ink++;
  return ink;
}

let run: ReportOutcome;
let compare: ReportOutcome;

beforeAll(async () => {
  const dir = tempDir('recloop-report-render-');
  run = await writeReport(writeSyntheticRun(join(dir, 'run')));
  compare = await writeReport(writeSyntheticCompare(join(dir, 'compare')));
});

describe('SVG and PNG charts', () => {
  it('writes one SVG and one PNG per chart, and nothing else, into charts/', () => {
    for (const outcome of [run, compare]) {
      const files = readdirSync(join(outcome.data.dir, 'charts')).sort();
      const expected = outcome.charts.flatMap((c) => [`${c.id}.png`, `${c.id}.svg`]).sort();
      expect(files).toEqual(expected);
    }
  });

  it('renders PNGs that are valid, non-empty images at twice the SVG size', () => {
    for (const chart of [...run.charts, ...compare.charts]) {
      const svg = readFileSync(chart.svgFile, 'utf8');
      const png = readFileSync(chart.pngFile ?? '');
      const size = svgSize(svg);
      expect(pngSize(png), chart.id).toEqual({ width: Math.round(size.width * PNG_SCALE), height: Math.round(size.height * PNG_SCALE) });
      // Big enough to read on a slide, small enough to fit one.
      expect(size.width, chart.id).toBeGreaterThan(300);
      expect(size.width, chart.id).toBeLessThan(1400);
      expect(png.length, chart.id).toBeGreaterThan(10_000);
      expect(svg, chart.id).toContain('<path');
    }
  });

  it('has a font, and draws text with it (text-only SVG is not blank)', () => {
    const fonts = chooseFonts();
    expect(fonts.files.length, 'install fonts-dejavu-core or set RECLOOP_FONTS').toBeGreaterThan(0);
    const text = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="28" font-family="DejaVu Sans" font-size="24">Regret 42</text></svg>';
    const blank = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"></svg>';
    expect(inkPixels(blank)).toBe(0);
    expect(inkPixels(text)).toBeGreaterThan(200);
    expect(renderPng(text, fonts).width).toBe(400);
  });

  it('lays charts out with the font’s real text widths (no room left for 0.8 em per character)', () => {
    // The tradeoff chart is one 560 px plot; its widest text is the subtitle, which fits under
    // 760 px with DejaVu Sans' real widths but not with Vega's guess of 0.8 em per character.
    const tradeoff = run.charts.find((c) => c.id === 'tradeoff');
    const { width } = svgSize(readFileSync(tradeoff?.svgFile ?? '', 'utf8'));
    console.log(`tradeoff chart width: ${width} px`);
    expect(width).toBeGreaterThan(560);
    expect(width).toBeLessThan(760);
  });

  it('draws each arm with its own dash pattern, the control wider and underneath, so identical lines stay apart', () => {
    const svg = readFileSync(compare.charts.find((c) => c.id === 'cold-start')?.svgFile ?? '', 'utf8');
    const lines = [...svg.matchAll(/<path aria-label="[^"]*Arm: ([^;"]+)[^"]*"[^>]*aria-roledescription="line mark"[^>]*>/g)].map((m) => ({
      arm: m[1],
      width: Number(/stroke-width="([\d.]+)"/.exec(m[0])?.[1]),
      dash: /stroke-dasharray="([^"]*)"/.exec(m[0])?.[1] ?? 'solid',
    }));
    const { arms, control } = compare.data;
    expect(new Set(lines.map((l) => l.arm))).toEqual(new Set(arms));
    const styleOf = (arm: string) => new Set(lines.filter((l) => l.arm === arm).map((l) => `${l.width} ${l.dash}`));
    for (const arm of arms) expect(styleOf(arm).size, arm).toBe(1);
    const styles = arms.map((arm) => [...styleOf(arm)][0]);
    expect(new Set(styles).size).toBe(arms.length);
    const widthOf = (arm: string) => lines.find((l) => l.arm === arm)?.width ?? 0;
    for (const arm of arms.filter((a) => a !== control)) expect(widthOf(control ?? ''), arm).toBeGreaterThan(widthOf(arm));
    // Drawn first, so the others lie on top of it.
    expect(lines.findIndex((l) => l.arm === control)).toBe(0);
  });

  it('shades the random start-up and the unmeasured days on time-series charts, with a label', async () => {
    const folder = writeSyntheticRun(join(tempDir('recloop-report-periods-'), 'run'));
    writeFileSync(join(folder, 'scenario.resolved.yaml'), 'name: startup\nrecommender:\n  kind: popularity\n  random_startup: 3d\n');
    const data = await loadReportData(folder);
    const shades = async (report: ReportData, id: string) => {
      const chart = buildCharts(report).find((c) => c.id === id);
      const svg = await renderSvg(compileChart(chart ?? buildCharts(report)[0]));
      const rects = [...svg.matchAll(/aria-label="Simulated day: ([\d.]+); to: ([\d.]+); Shaded: ([^"]+)"[^>]*d="M[\d.]+,0h([\d.]+)v([\d.]+)h/g)];
      return rects.map((m) => ({ from: Number(m[1]), to: Number(m[2]), label: m[3], width: Number(m[4]), height: Number(m[5]) }));
    };
    // 3 of 20 days on a 280 px panel: 42 px wide, the panel's full height; one shade per panel.
    const run = await shades(data, 'short-term');
    expect(run).toEqual([
      { from: 0, to: 3, label: 'random start-up', width: 42, height: 160 },
      { from: 0, to: 3, label: 'random start-up', width: 42, height: 160 },
    ]);
    // The experiment leaves its first 2 days out (measure_from); after a 3-day start-up the shades split, not stack.
    const experiment = await shades({ ...compare.data, periods: shadedPeriods(3, 2) }, 'short-term');
    expect(experiment.slice(0, 2)).toEqual([
      { from: 0, to: 2, label: 'random start-up, not measured', width: 28, height: 160 },
      { from: 2, to: 3, label: 'random start-up', width: 14, height: 160 },
    ]);
    expect((await shades(compare.data, 'short-term'))[0]).toMatchObject({ from: 0, to: 2, label: 'not measured', width: 28 });
  });

  it('writes a reference label (the latency budget) beside the plot, where no p95 line can cover it', () => {
    const svg = readFileSync(run.charts.find((c) => c.id === 'latency')?.svgFile ?? '', 'utf8');
    const labels = [...svg.matchAll(/<text[^>]*text-anchor="(\w+)"[^>]*translate\(([\d.]+),[^>]*>(budget \d+ ms)<\/text>/g)];
    expect(labels.map((m) => m[3])).toEqual(['budget 10 ms', 'budget 50 ms', 'budget 10 ms']);
    // Each starts right of its panel's 280 px plot.
    for (const [, anchor, x] of labels) {
      expect(anchor).toBe('start');
      expect(Number(x)).toBeGreaterThan(280);
    }
  });
});
