/**
 * Calibration: expected calibration error per ranker head over time, before and after the
 * calibrator (columns `ece_<head>_raw`, `ece_<head>_calibrated`), and reliability diagrams from
 * calibration.json (predicted versus observed per bin, against the diagonal).
 */
import { NEUTRAL } from '../colors.js';
import type { CalibrationFile } from '../data/calibration-schema.js';
import type { Chart } from '../types.js';
import type { ChartContext } from './context.js';
import { grid, panelTitle, rowsOf, seriesPanel } from './panels.js';
import { PANEL } from './theme.js';
import type { Panel } from './vl-types.js';

const ECE_COLUMN = /^ece_(.+)_(raw|calibrated)$/;
const BEFORE = 'before calibration';
const AFTER = 'after calibration';

export function calibrationCharts(ctx: ChartContext): Chart[] {
  const charts: Chart[] = [];
  const heads = eceHeads(ctx.data.metrics);
  if (heads.length > 0) {
    const panels = heads.map((head) =>
      seriesPanel(ctx, {
        metric: `ece_${head}_raw`,
        title: `${head} head`,
        rows: [...rowsOf(ctx.series(`ece_${head}_calibrated`), AFTER), ...rowsOf(ctx.series(`ece_${head}_raw`), BEFORE)],
        variants: { title: 'Predictions', order: [AFTER, BEFORE] },
        zero: true,
      }),
    );
    const title = 'Calibration error per ranker head';
    charts.push({
      id: 'calibration-ece',
      family: 'calibration',
      title,
      caption: 'Solid (calibrated) should sit well below dashed (raw) and stay flat; a rising solid line means the calibrator goes stale between retrains.',
      spec: grid(ctx, title, panels, heads.length > 4 ? 3 : 2),
    });
  }
  if (ctx.data.calibration) charts.push(reliabilityChart(ctx, ctx.data.calibration));
  return charts;
}

/** Heads with at least one ECE column, in column order. */
export function eceHeads(metrics: readonly string[]): string[] {
  const heads: string[] = [];
  for (const metric of metrics) {
    const head = ECE_COLUMN.exec(metric)?.[1];
    if (head !== undefined && !heads.includes(head)) heads.push(head);
  }
  return heads;
}

function reliabilityChart(ctx: ChartContext, file: CalibrationFile): Chart {
  // The file describes one run; in a compare folder it names its arm, else it is drawn neutral.
  const arm = file.arm ?? (ctx.data.kind === 'run' ? ctx.data.arms[0] : undefined);
  const index = arm === undefined ? -1 : ctx.colors.domain.indexOf(arm);
  const color = index >= 0 ? ctx.colors.range[index] : NEUTRAL.estimate;
  const panels: Panel[] = Object.entries(file.heads).map(([head, sides]) => {
    const rows = [
      ...sides.calibrated.bins.map((b) => ({ side: AFTER, predicted: b.predicted, observed: b.observed, count: b.count })),
      ...sides.raw.bins.map((b) => ({ side: BEFORE, predicted: b.predicted, observed: b.observed, count: b.count })),
    ];
    const top = Math.max(1, ...rows.map((r) => Math.max(r.predicted, r.observed)));
    const scale = { domain: [0, top], nice: false };
    const ece = (value: number | undefined) => (value === undefined ? '?' : value.toFixed(3));
    return {
      title: panelTitle(`${head} head`, `ECE ${ece(sides.raw.ece)} raw → ${ece(sides.calibrated.ece)} calibrated`),
      width: PANEL.height + 40,
      height: PANEL.height + 40,
      layer: [
        {
          data: { values: [{ predicted: 0, observed: 0 }, { predicted: top, observed: top }] },
          mark: { type: 'line', color: NEUTRAL.grid, strokeWidth: 1.5, strokeDash: [1, 0] },
          encoding: {
            x: { field: 'predicted', type: 'quantitative', scale },
            y: { field: 'observed', type: 'quantitative', scale },
          },
        },
        {
          data: { values: rows },
          mark: { type: 'line', point: { filled: true, size: 30 }, color },
          encoding: {
            x: { field: 'predicted', type: 'quantitative', scale, title: 'Predicted (mean in bin)' },
            y: { field: 'observed', type: 'quantitative', scale, title: 'Observed (mean label in bin)' },
            strokeDash: {
              field: 'side',
              type: 'nominal',
              title: 'Predictions',
              sort: [AFTER, BEFORE],
              scale: { domain: [AFTER, BEFORE], range: [[1, 0], [6, 4]] },
            },
            order: { field: 'predicted', type: 'quantitative' },
            tooltip: [
              { field: 'side', type: 'nominal', title: 'Predictions' },
              { field: 'predicted', type: 'quantitative', format: '.3f', title: 'Predicted' },
              { field: 'observed', type: 'quantitative', format: '.3f', title: 'Observed' },
              { field: 'count', type: 'quantitative', format: ',d', title: 'Examples' },
            ],
          },
        },
      ],
    };
  });
  const when = file.day !== undefined ? ` · measured on day ${file.day}` : file.epoch !== undefined ? ` · measured at epoch ${file.epoch}` : '';
  const title = 'Reliability of predicted probabilities';
  return {
    id: 'calibration-reliability',
    family: 'calibration',
    title,
    caption: 'Points on the grey diagonal are calibrated; solid (calibrated) points should hug it more closely than dashed (raw) ones.',
    spec: grid({ ...ctx, note: `${ctx.note.split(' · ')[0]}${arm ? ` · ${arm}` : ''}${file.method ? ` · ${file.method} calibration` : ''}${when}` }, title, panels, 3),
  };
}
