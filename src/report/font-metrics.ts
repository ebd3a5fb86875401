/**
 * Text widths from a TrueType font's own tables (cmap format 4 + hmtx), for laying out charts
 * without a canvas. Vega measures text with a canvas when it has one; under Node it guesses
 * 0.8 em per character, which is far too wide for DejaVu Sans and leaves large blank margins
 * around titles and legends in the SVG/PNG. Measuring with the font that resvg draws with makes
 * the headless layout match the rendered text.
 */
export interface GlyphWidths {
  /** Advance width of a code point, in em (1 = the font size); undefined when the font lacks it. */
  advance(codePoint: number): number | undefined;
}

export function readGlyphWidths(font: Uint8Array): GlyphWidths {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const tables = new Map<string, number>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const record = 12 + 16 * i;
    const tag = String.fromCharCode(font[record], font[record + 1], font[record + 2], font[record + 3]);
    tables.set(tag, view.getUint32(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = view.getUint16(table('head') + 18);
  const metricsCount = view.getUint16(table('hhea') + 34);
  const hmtx = table('hmtx');
  const glyphOf = cmapFormat4(view, table('cmap'));
  const cache = new Map<number, number | undefined>();
  return {
    advance(codePoint) {
      if (cache.has(codePoint)) return cache.get(codePoint);
      const glyph = codePoint <= 0xffff ? glyphOf(codePoint) : 0;
      // Glyphs past numberOfHMetrics share the last advance width.
      const width = glyph === 0 ? undefined : view.getUint16(hmtx + 4 * Math.min(glyph, metricsCount - 1)) / unitsPerEm;
      cache.set(codePoint, width);
      return width;
    },
  };
}

/** The Unicode BMP subtable (platform 3 encoding 1, or platform 0) as code point → glyph id. */
function cmapFormat4(view: DataView, cmap: number): (codePoint: number) => number {
  const count = view.getUint16(cmap + 2);
  let sub = -1;
  for (let i = 0; i < count; i++) {
    const platform = view.getUint16(cmap + 4 + 8 * i);
    const encoding = view.getUint16(cmap + 6 + 8 * i);
    const offset = cmap + view.getUint32(cmap + 8 + 8 * i);
    if (view.getUint16(offset) === 4 && ((platform === 3 && encoding === 1) || platform === 0)) sub = offset;
  }
  if (sub < 0) throw new Error('font has no format-4 Unicode cmap');
  const segments = view.getUint16(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  return (c) => {
    for (let i = 0; i < segments; i++) {
      if (view.getUint16(ends + 2 * i) < c) continue;
      const start = view.getUint16(starts + 2 * i);
      if (start > c) return 0;
      const delta = view.getUint16(deltas + 2 * i);
      const rangeOffset = view.getUint16(rangeOffsets + 2 * i);
      if (rangeOffset === 0) return (c + delta) & 0xffff;
      const glyph = view.getUint16(rangeOffsets + 2 * i + rangeOffset + 2 * (c - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

/** Width of a string in em; characters the font lacks count as 0.6 em. */
export function textWidthEm(widths: GlyphWidths, text: string): number {
  let em = 0;
  for (const ch of text) em += widths.advance(ch.codePointAt(0) ?? 0x20) ?? 0.6;
  return em;
}
