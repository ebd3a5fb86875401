/**
 * Refuses, before any work, a scenario whose estimated memory (./resource-estimate.ts) cannot fit
 * in this machine or in V8's heap, with one line that gives the estimate and the machine's
 * memory; `run` and `validate` both check it, so `validate` tells what `run` would refuse.
 */
import { availableParallelism, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { ScenarioError, type ScenarioResolver } from '../scenario/index.js';
import { estimateRun, type ResourceEstimate } from './resource-estimate.js';

/** What bounds a run's memory: the machine's RAM, and V8's heap for what lives on it. */
export interface MachineMemory {
  readonly totalBytes: number;
  readonly heapLimitBytes: number;
}

export function machineMemory(): MachineMemory {
  return { totalBytes: totalmem(), heapLimitBytes: getHeapStatistics().heap_size_limit };
}

/** Runs at least this large (memory or time) get their estimate printed before they start. */
const LARGE_RUN_BYTES = 2 * 2 ** 30;
const LARGE_RUN_SECONDS = 600;

/** Why the run cannot fit, or undefined when it can. */
export function resourceRefusal(estimate: ResourceEstimate, machine: MachineMemory): string | undefined {
  const amount = Number.isFinite(estimate.peakBytes) ? `about ${formatBytes(estimate.peakBytes)} of memory` : 'more memory than can be counted';
  const needs = `needs ${amount} (mostly for ${estimate.largest.what})`;
  // Not finite (rates near the largest number, multiplied): refused like any other too-large run.
  if (!(estimate.peakBytes <= machine.totalBytes)) {
    return `${needs}, more than this machine's ${formatBytes(machine.totalBytes)}; make the scenario smaller`;
  }
  if (!(estimate.heapBytes <= machine.heapLimitBytes)) {
    const mib = Math.ceil((estimate.heapBytes * 1.5) / 2 ** 20);
    return (
      `${needs}, ${formatBytes(estimate.heapBytes)} of it on V8's heap, more than its limit of ${formatBytes(machine.heapLimitBytes)}` +
      ` (this machine has ${formatBytes(machine.totalBytes)}); make the scenario smaller or raise the limit with NODE_OPTIONS=--max-old-space-size=${mib}`
    );
  }
  return undefined;
}

/** The one quiet line printed before a large run, or undefined for a small one. `what`: the runs it counts, when more than one (see `runsAtOnce`). */
export function largeRunNote(estimate: ResourceEstimate, machine: MachineMemory, what = ''): string | undefined {
  if (estimate.peakBytes < LARGE_RUN_BYTES && estimate.seconds < LARGE_RUN_SECONDS) return undefined;
  return `estimate: about ${formatBytes(estimate.peakBytes)} of memory${what} (this machine: ${formatBytes(machine.totalBytes)}) and roughly ${formatDuration(estimate.seconds)}`;
}

/**
 * Runs made in worker processes, `workers` at a time (a comparison's or a sweep's jobs; 0 runs
 * them one by one on the main thread): the memory of the largest `atOnce` together, and their
 * time shared among the processes the machine's `cores` run side by side. `what` names them for
 * the note and a refusal.
 */
export function runsAtOnce(runs: readonly ResourceEstimate[], workers: number, cores = availableParallelism()): { estimate: ResourceEstimate; atOnce: number; what: string } {
  const atOnce = Math.max(1, Math.min(workers, runs.length));
  const largest = runs.reduce((a, b) => (b.peakBytes > a.peakBytes ? b : a));
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const estimate: ResourceEstimate = { ...largest, peakBytes: largest.peakBytes * atOnce, sharedBytes: 0, seconds: seconds / Math.min(atOnce, Math.max(1, cores)) };
  return { estimate, atOnce, what: runs.length > 1 ? ` for ${runs.length} runs, ${atOnce} at a time` : '' };
}

/**
 * A loader's resolver that first runs `then` (the plug-in loader), then refuses what cannot fit,
 * placing the message at the scenario field of the estimate's largest part.
 */
export function withResourceCheck(then?: ScenarioResolver, machine: () => MachineMemory = machineMemory): ScenarioResolver {
  return async (scenario, context) => {
    const resolved = then === undefined ? scenario : await then(scenario, context);
    const estimate = estimateRun(resolved);
    const refusal = resourceRefusal(estimate, machine());
    if (refusal !== undefined) throw new ScenarioError([context.problemAt(estimate.largest.path, refusal)]);
    return resolved;
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 70) return `${(bytes / 2 ** 60).toExponential(1).replace('e+', 'e')} EiB`;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}
