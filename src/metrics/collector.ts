/**
 * MetricsCollector: fans events out to a list of metrics and merges their per-epoch records
 * into one row `{ epoch, day_start, day_end, ...figures }`.
 *
 * Column order is fixed: the three leading keys, then each metric's keys in metric order and,
 * within a metric, in the order it emitted them at the first epoch. Every later epoch must
 * emit exactly the same key set (rows are columnar output); the collector re-emits them in
 * the first epoch's order. It throws when two metrics (or a metric and a leading key) emit the
 * same key, when a key is not snake_case, when the key set changes, or when a value is not a
 * finite number (figures are NaN-free by convention).
 */
import type { EpochBounds, Metric, SimEvent } from './types.js';

export const LEADING_COLUMNS = ['epoch', 'day_start', 'day_end'] as const;

const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

export class MetricsCollector {
  private readonly metrics: readonly Metric[];
  private columnOrder: readonly string[] | null = null;

  constructor(metrics: readonly Metric[]) {
    this.metrics = [...metrics];
  }

  observe(event: SimEvent): void {
    for (const metric of this.metrics) metric.observe(event);
  }

  /** Column names in emitted order; empty before the first endEpoch. */
  columns(): readonly string[] {
    return this.columnOrder ?? [];
  }

  endEpoch(bounds: EpochBounds): Record<string, number> {
    const values = new Map<string, number>([
      ['epoch', bounds.epoch],
      ['day_start', bounds.start],
      ['day_end', bounds.end],
    ]);
    const owner = new Map<string, string>(LEADING_COLUMNS.map((key) => [key, 'the collector']));
    this.metrics.forEach((metric, index) => {
      const name = `metric #${index} (${metric.constructor.name})`;
      const record = metric.endEpoch(bounds);
      for (const key of Object.keys(record)) {
        const previous = owner.get(key);
        if (previous !== undefined) {
          throw new Error(`metrics: key "${key}" emitted by both ${previous} and ${name}`);
        }
        if (!SNAKE_CASE.test(key)) throw new Error(`metrics: key "${key}" from ${name} is not snake_case`);
        const value = record[key];
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw new Error(`metrics: ${name} emitted non-finite ${key}=${String(value)} at epoch ${bounds.epoch}`);
        }
        owner.set(key, name);
        values.set(key, value);
      }
    });

    if (this.columnOrder === null) {
      for (const key of LEADING_COLUMNS) {
        const value = values.get(key);
        if (value === undefined || !Number.isFinite(value)) {
          throw new Error(`metrics: epoch bounds must be finite (got ${key}=${String(value)})`);
        }
      }
      this.columnOrder = Array.from(values.keys());
    } else if (values.size !== this.columnOrder.length || this.columnOrder.some((key) => !values.has(key))) {
      const expected = new Set(this.columnOrder);
      const missing = this.columnOrder.filter((key) => !values.has(key));
      const extra = Array.from(values.keys()).filter((key) => !expected.has(key));
      throw new Error(
        `metrics: key set changed at epoch ${bounds.epoch} (missing: ${missing.join(', ') || 'none'}; ` +
          `new: ${extra.join(', ') || 'none'})`,
      );
    }

    const row: Record<string, number> = {};
    for (const key of this.columnOrder) row[key] = values.get(key) as number;
    return row;
  }
}
