/**
 * Plugs font-based text widths into Vega's scenegraph (its documented `textMetrics.width` hook,
 * which vl-convert uses the same way), so Node-side layout measures text like the browser does.
 * Vega's hook is process-wide; installing is idempotent and only ever swaps in the measurement
 * for the same font files.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as vega from 'vega';
import type { FontChoice } from './fonts.js';
import { readGlyphWidths, textWidthEm, type GlyphWidths } from './font-metrics.js';

/** The part of an item Vega passes to the hook. */
interface TextItem {
  readonly fontSize?: number | string;
  readonly fontWeight?: number | string;
  readonly limit?: number;
}
interface TextMetricsHook {
  width: (item: TextItem, text: unknown) => number;
}

let installedFor: string | undefined;

/** Returns false (leaving Vega's estimate) when there is no font file to measure with. */
export function installTextMetrics(fonts: FontChoice): boolean {
  const key = fonts.files.join('\n');
  if (installedFor === key) return true;
  // textMetrics is re-exported from vega-scenegraph at runtime but missing from vega's typings.
  const hook = (vega as unknown as { textMetrics?: TextMetricsHook }).textMetrics;
  const regularFile = fonts.files.find((f) => !/bold/i.test(basename(f)));
  if (!hook || !regularFile) return false;
  const boldFile = fonts.files.find((f) => /bold/i.test(basename(f)) && !/oblique|italic/i.test(basename(f)));
  const regular = readGlyphWidths(readFileSync(regularFile));
  const bold = boldFile ? readGlyphWidths(readFileSync(boldFile)) : regular;
  hook.width = (item, text) => measure(item, text, isBold(item.fontWeight) ? bold : regular);
  installedFor = key;
  return true;
}

function measure(item: TextItem, text: unknown, widths: GlyphWidths): number {
  const size = item.fontSize === undefined ? 11 : Number(item.fontSize) || 0;
  const value = text === null || text === undefined ? '' : String(text).trim();
  if (size <= 0 || value === '') return 0;
  const width = textWidthEm(widths, value) * size;
  // A limited label is truncated to fit its limit when drawn.
  return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
}

function isBold(weight: number | string | undefined): boolean {
  return weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && Number(weight) >= 600);
}
