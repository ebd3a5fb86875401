/** Sweeps: a grid of scenario values × seeds run as one experiment, in slices on many machines if need be, merged into one folder. */
export { SweepError } from './errors.js';
export { parseGrid, splitValues, type GridAxis } from './grid.js';
export { gridCells, type GridCell } from './cells.js';
export { planSweep, type PlanInput, type SweepCell, type SweepPlan } from './plan.js';
export { parseShard, shardJobs, type Shard } from './shard.js';
export { SWEEP_FILES, type SweepInfo, type SliceInfo } from './folder.js';
export { runSweep, type SweepOptions, type SweepOutcome } from './run-sweep.js';
export { mergeSlices, type MergeOptions, type MergeOutcome } from './merge.js';
