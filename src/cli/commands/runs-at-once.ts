/**
 * Before a comparison's or a sweep's runs start: refuses what their worker processes cannot hold
 * together (each fits, as loading checked), else prints the estimate's note for a large batch.
 */
import { defaultWorkers } from '../../experiment/pool.js';
import { largeRunNote, machineMemory, resourceRefusal, runsAtOnce, type MachineMemory } from '../../run/resource-check.js';
import type { ResourceEstimate } from '../../run/resource-estimate.js';
import { UserError, type CliIo } from './types.js';

/** `workers`: the command's --workers (undefined: one per core; 0: the main thread, one run at a time). */
export function checkRunsAtOnce(file: string, runs: readonly ResourceEstimate[], workers: number | undefined, io: CliIo, machine: MachineMemory = machineMemory()): void {
  if (runs.length === 0) return;
  const { estimate, atOnce, what } = runsAtOnce(runs, workers ?? defaultWorkers());
  const refusal = atOnce > 1 ? resourceRefusal(estimate, machine) : undefined;
  if (refusal !== undefined) throw new UserError(`${file}: with ${atOnce} runs at once the batch ${refusal} (or use fewer --workers)`);
  const note = largeRunNote(estimate, machine, what);
  if (note !== undefined) io.stderr.write(`${note}\n`);
}
