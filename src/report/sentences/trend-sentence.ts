/**
 * A single run's sentence for one failure: how its telling metrics moved from the start of the
 * measured days to the end, each as the mean over the first few epochs against the mean over the
 * last few (trend.ts), e.g. "Topic entropy of what users see fell from 3.9 to 3.1 bits; …".
 */
import type { Failure } from '../failures.js';
import { formatValue } from '../format.js';
import { trendOf, trendWindow, type Trend, type TrendWindow } from '../trend.js';
import type { ReportData } from '../types.js';
import { capitalized, inText, withUnit } from './words.js';

export function trendSentence(data: ReportData, failure: Failure): string | undefined {
  const window = trendWindow(data);
  const arm = data.arms[0];
  const trends = new Map<string, Trend>();
  for (const metric of failure.trend.flat()) {
    const trend = trendOf(data.series.filter((p) => p.metric === metric && p.arm === arm), window);
    if (trend) trends.set(metric, trend);
  }
  const told: string[] = [];
  for (const list of failure.trend) {
    const metric = list.find((m) => trends.has(m) && !told.includes(m));
    if (metric !== undefined) told.push(metric);
  }
  if (told.length === 0) return undefined;
  const clauses = told.map((metric) => clause(metric, trends.get(metric) as Trend));
  return `${capitalized(clauses.join('; '))} (${span(data, window)}).`;
}

function clause(metric: string, { start, end }: Trend): string {
  const [from, to] = [formatValue(metric, start), formatValue(metric, end)];
  if (from === to) return `${inText(metric)} held at ${withUnit(metric, end)}`;
  return `${inText(metric)} ${end > start ? 'rose' : 'fell'} from ${from} to ${withUnit(metric, end)}`;
}

/** Which days the figures cover and how they were read. */
function span(data: ReportData, window: TrendWindow): string {
  const days = data.time.unit === 'round' ? 'rounds' : 'days';
  const from = Number.isFinite(window.after) ? window.after : 0;
  const range = `${days} ${trim(from)}–${trim(window.to)}`;
  const unit = data.time.unit === 'round' ? 'rows' : 'epochs';
  return window.size === 1 ? `${range}, first against last measured ${unit.slice(0, -1)}` : `${range}, means of the first and last ${window.size} ${unit}`;
}

function trim(x: number): string {
  return Number(x.toFixed(2)).toLocaleString('en-US');
}
