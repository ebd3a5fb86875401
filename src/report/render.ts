/**
 * Headless rendering: compiled Vega spec → SVG (vega View with renderer 'none', no DOM) →
 * PNG (resvg with explicitly loaded fonts, so text renders offline and the same everywhere).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import type { CompiledChart } from './compile.js';
import { chooseFonts, type FontChoice } from './fonts.js';
import { installTextMetrics } from './text-metrics.js';

/** PNGs are drawn at twice the SVG's size, sharp on a projector and in a slide deck. */
export const PNG_SCALE = 2;

export async function renderSvg(compiled: CompiledChart, fonts: FontChoice = chooseFonts()): Promise<string> {
  installTextMetrics(fonts);
  const view = new View(parse(compiled.vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface Png {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

export function renderPng(svg: string, fonts: FontChoice = chooseFonts(), scale = PNG_SCALE): Png {
  const image = new Resvg(svg, resvgOptions(fonts, scale)).render();
  return { data: image.asPng(), width: image.width, height: image.height };
}

/** The same, rasterized on libuv's thread pool, so it overlaps with building the next SVG. */
export async function renderPngAsync(svg: string, fonts: FontChoice = chooseFonts(), scale = PNG_SCALE): Promise<Png> {
  const image = await renderAsync(svg, resvgOptions(fonts, scale));
  return { data: image.asPng(), width: image.width, height: image.height };
}

function resvgOptions(fonts: FontChoice, scale: number): ResvgRenderOptions {
  return {
    fitTo: { mode: 'zoom', value: scale },
    font: { fontFiles: [...fonts.files], loadSystemFonts: fonts.files.length === 0, defaultFontFamily: fonts.defaultFamily },
  };
}

export interface RenderedChart {
  readonly id: string;
  readonly svgFile: string;
  readonly pngFile?: string;
}

/** Writes charts/<id>.svg (and .png) for every chart; returns the files, in chart order. */
export async function writeChartFiles(
  chartsDir: string,
  compiled: readonly CompiledChart[],
  options: { readonly png: boolean; readonly fonts?: FontChoice },
): Promise<RenderedChart[]> {
  await mkdir(chartsDir, { recursive: true });
  const fonts = options.fonts ?? chooseFonts();
  const out: RenderedChart[] = [];
  const pngs: Promise<void>[] = [];
  for (const c of compiled) {
    const svg = await renderSvg(c, fonts);
    const svgFile = join(chartsDir, `${c.chart.id}.svg`);
    await writeFile(svgFile, svg);
    let pngFile: string | undefined;
    if (options.png) {
      const file = join(chartsDir, `${c.chart.id}.png`);
      pngs.push(renderPngAsync(svg, fonts).then((png) => writeFile(file, png.data)));
      pngFile = file;
    }
    out.push({ id: c.chart.id, svgFile, pngFile });
  }
  await Promise.all(pngs);
  return out;
}
