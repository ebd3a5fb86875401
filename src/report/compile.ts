/**
 * Vega-Lite → Vega, once per chart: the SVG/PNG renderer and the HTML page both use the compiled
 * Vega spec, so the browser needs only Vega's runtime. Vega-Lite's warnings are collected rather
 * than printed, so tests can insist there are none.
 */
import { compile } from 'vega-lite';
import type { Spec as VegaSpec } from 'vega';
import type { Chart } from './types.js';

export interface CompiledChart {
  readonly chart: Chart;
  readonly vega: VegaSpec;
  readonly warnings: readonly string[];
}

export function compileChart(chart: Chart): CompiledChart {
  const warnings: string[] = [];
  const text = (args: readonly unknown[]) => args.map(String).join(' ');
  let level = 0;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: readonly unknown[]) {
      throw new Error(`report: chart "${chart.id}": ${text(args)}`);
    },
    warn(...args: readonly unknown[]) {
      warnings.push(text(args));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  const { spec } = compile(chart.spec, { logger });
  return { chart, vega: spec, warnings };
}
