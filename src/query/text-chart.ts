/**
 * A metric over time as text: one bar per row, so a notebook or terminal shows the shape of a
 * series (a falling coverage, a rising Gini) without a plotting library.
 */
import { formatNumber } from './format.js';

export interface TextChartOptions {
  /** Characters of the longest bar. */
  readonly width?: number;
  /** Bars start at zero (default) or at the smallest value, which magnifies small changes. */
  readonly from?: 'zero' | 'min';
}

/** `label │████████ value` lines; NaN and missing values show as an empty bar and "-". */
export function textChart(labels: readonly (string | number)[], values: readonly (number | null)[], options: TextChartOptions = {}): string {
  if (labels.length !== values.length) throw new RangeError(`textChart: ${labels.length} labels but ${values.length} values`);
  const width = options.width ?? 40;
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const low = options.from === 'min' && finite.length > 0 ? Math.min(...finite) : Math.min(0, ...finite);
  const high = Math.max(low, ...finite);
  const span = high - low;
  const labelWidth = Math.max(0, ...labels.map((l) => String(l).length));
  return (
    labels
      .map((label, i) => {
        const v = values[i];
        const ok = v !== null && Number.isFinite(v);
        const length = !ok ? 0 : span > 0 ? Math.round(((v - low) / span) * width) : v === 0 ? 0 : width;
        return `${String(label).padStart(labelWidth)} │${'█'.repeat(length)}${' '.repeat(width - length)} ${ok ? formatNumber(v) : '-'}`;
      })
      .join('\n') + '\n'
  );
}
