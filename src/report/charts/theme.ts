/**
 * The look of every chart: sizes and type that stay readable on a slide, one font that the
 * PNG renderer loads explicitly (so text renders offline) and browsers fall back from.
 */
import type { Config } from 'vega-lite';

export const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/** One panel of a small-multiples chart, in CSS pixels (PNG is rendered at 2×). */
export const PANEL = { width: 280, height: 160 } as const;
/** A chart that stands alone. */
export const WIDE = { width: 560, height: 260 } as const;

export const SCHEMA_URL = 'https://vega.github.io/schema/vega-lite/v6.json';

export const REPORT_CONFIG: Config = {
  font: FONT,
  background: 'white',
  padding: 16,
  title: { fontSize: 17, fontWeight: 'bold', anchor: 'start', subtitleFontSize: 12, subtitleColor: '#555555', offset: 12 },
  // Flush end labels keep every panel's bounds (and so its title) at the same height.
  axisY: { labelFlush: true },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', titleColor: '#333333', gridColor: '#e6e6e6' },
  legend: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal', orient: 'bottom', direction: 'horizontal', symbolStrokeWidth: 2.5 },
  header: { labelFontSize: 13, titleFontSize: 13 },
  concat: { spacing: 28 },
  point: { size: 28 },
};
