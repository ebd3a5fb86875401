/**
 * A dot-and-whisker panel: one row per arm, a dot at its estimate and a bar over its interval,
 * against a solid zero line. The verdict's differences from the control, the arms' trends and
 * their distance from the oracle baseline are all drawn with it, so they read alike.
 */
import { NEUTRAL } from '../colors.js';
import type { ChartContext } from './context.js';
import { colorEncoding, panelTitle } from './panels.js';
import { PANEL } from './theme.js';
import type { Layer, Panel } from './vl-types.js';

type Tooltip = { readonly field: string; readonly type: 'nominal' | 'quantitative'; readonly title: string; readonly format?: string };

export interface IntervalPanelOptions {
  readonly title: string;
  readonly subtitle?: string;
  /** One row per arm: `arm` picks the colour, `row` is the y label, `field` the estimate, `ci_low`/`ci_high` the bar. */
  readonly rows: readonly Record<string, string | number>[];
  readonly field: string;
  readonly x: { readonly title: string; readonly axis: object };
  readonly tooltip: readonly Tooltip[];
  /** Drawn on top (e.g. guardrail limits). */
  readonly extraLayers?: readonly Layer[];
}

export function intervalPanel(ctx: ChartContext, options: IntervalPanelOptions): Panel {
  const { rows, field } = options;
  const order = ctx.data.arms.flatMap((arm) => rows.filter((r) => r.arm === arm).map((r) => r.row));
  const y = { field: 'row', type: 'nominal' as const, title: null, sort: order, axis: { labelLimit: 200 } };
  const x = { field, type: 'quantitative' as const, title: options.x.title, axis: options.x.axis };
  const layers: Layer[] = [
    { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: NEUTRAL.reference, strokeWidth: 1 }, encoding: { x: { field: 'zero', type: 'quantitative', title: options.x.title } } },
    {
      data: { values: [...rows] },
      mark: { type: 'rule', strokeWidth: 3 },
      encoding: { y, x: { ...x, field: 'ci_low' }, x2: { field: 'ci_high' }, color: colorEncoding(ctx, 'circle') },
      // Single-replica figures have no interval: nothing to draw for them.
      transform: [{ filter: 'isValid(datum.ci_low)' }],
    },
    {
      data: { values: [...rows] },
      mark: { type: 'point', filled: true, size: 70 },
      encoding: { y, x, color: colorEncoding(ctx, 'circle'), tooltip: [...options.tooltip] },
    },
    ...(options.extraLayers ?? []),
  ];
  return { title: panelTitle(options.title, options.subtitle), width: PANEL.width, height: { step: 26 }, layer: layers };
}
