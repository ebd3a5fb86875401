/**
 * Names for the parts of a Vega-Lite spec the builders assemble, derived from the one type
 * vega-lite exports (TopLevelSpec), so they follow the installed version.
 */
import type { TopLevelSpec } from 'vega-lite';

export type { TopLevelSpec };
export type ConcatChart = Extract<TopLevelSpec, { concat: unknown }>;
/** One panel of a concatenated chart: a unit or a layer spec with its own data. */
export type Panel = ConcatChart['concat'][number];
export type LayerChart = Extract<TopLevelSpec, { layer: unknown }>;
export type Layer = LayerChart['layer'][number];
