/**
 * `recloop merge`: the slices of a sharded sweep → the folder the sweep would have written on
 * one machine. The slices must all come from one sweep (the same fingerprint and shard count)
 * and be every shard exactly once; each job folder is copied as it is, and the cells are then
 * compared from those files exactly as a whole sweep compares them.
 */
import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Comparison } from '../experiment/comparison.js';
import { StagedOutput } from '../run/output-dir.js';
import { SweepError } from './errors.js';
import { SWEEP_FILES, finishSweep, jobAt, jobDir, sliceInfoSchema, toJson, type SliceInfo } from './folder.js';
import { shardJobs } from './shard.js';

export interface MergeOptions {
  readonly outDir: string;
  readonly force?: boolean;
}

export interface MergeOutcome {
  readonly dir: string;
  readonly slices: number;
  readonly jobs: number;
  readonly comparison: Comparison;
  readonly wallSeconds: number;
}

interface Slice {
  readonly dir: string;
  readonly info: SliceInfo;
}

export async function mergeSlices(dirs: readonly string[], options: MergeOptions): Promise<MergeOutcome> {
  const started = performance.now();
  if (dirs.length === 0) throw new SweepError('recloop merge: name the slice folders, e.g. recloop merge output/x-sweep-shard-*');
  const slices = await Promise.all(dirs.map(readSlice));
  checkSlices(slices);
  const sweep = slices[0].info.sweep;
  const output = await StagedOutput.create(options.outDir, options.force ?? false, 'sweep');
  try {
    await cp(join(slices[0].dir, SWEEP_FILES.scenario), join(output.dir, SWEEP_FILES.scenario));
    for (const slice of slices) {
      for (const k of slice.info.jobs) {
        const { cell, seed } = jobAt(sweep, k);
        await cp(jobDir(slice.dir, cell, seed), jobDir(output.dir, cell, seed), { recursive: true });
      }
    }
    const comparison = await finishSweep(output.dir, sweep);
    const wallSeconds = (performance.now() - started) / 1000;
    const infos = await Promise.all(slices.map(async (s) => JSON.parse(await readFile(join(s.dir, SWEEP_FILES.info), 'utf8').catch(() => 'null')) as unknown));
    await writeFile(
      join(output.dir, SWEEP_FILES.info),
      toJson({ finished_at: new Date().toISOString(), merge_wall_seconds: wallSeconds, slices: slices.map((s, i) => ({ dir: s.dir, ...(infos[i] ?? {}) })), node: process.version }),
    );
    await output.commit();
    return { dir: output.finalDir, slices: slices.length, jobs: sweep.jobs, comparison, wallSeconds };
  } catch (error) {
    await output.discard();
    throw error;
  }
}

async function readSlice(dir: string): Promise<Slice> {
  const file = join(dir, SWEEP_FILES.slice);
  if (!existsSync(file)) {
    const whole = existsSync(join(dir, SWEEP_FILES.sweep)) ? ' (it is a whole sweep, which needs no merge)' : '';
    throw new SweepError(`${dir}: not a sweep slice: no ${SWEEP_FILES.slice}${whole}; slices are written by recloop sweep --shard i/n`);
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new SweepError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = sliceInfoSchema.safeParse(json);
  if (!parsed.success) throw new SweepError(`${file}: not a slice file recloop wrote (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  return { dir, info: parsed.data };
}

/** One sweep, one shard count, every shard once, each with the jobs it should hold. */
function checkSlices(slices: readonly Slice[]): void {
  const first = slices[0];
  const problems: string[] = [];
  for (const slice of slices.slice(1)) {
    if (slice.info.sweep.fingerprint !== first.info.sweep.fingerprint || JSON.stringify(slice.info.sweep) !== JSON.stringify(first.info.sweep)) {
      problems.push(`${slice.dir}: a slice of another sweep than ${first.dir} (fingerprint ${short(slice.info.sweep.fingerprint)} ≠ ${short(first.info.sweep.fingerprint)}: the scenario, grid, seeds or --logs differ)`);
    } else if (slice.info.shard.count !== first.info.shard.count) {
      problems.push(`${slice.dir}: shard ${slice.info.shard.index}/${slice.info.shard.count}, but ${first.dir} is shard ${first.info.shard.index}/${first.info.shard.count}; every slice must come from the same --shard i/n split`);
    }
  }
  if (problems.length > 0) throw new SweepError(problems.join('\n'));
  const count = first.info.shard.count;
  const byIndex = new Map<number, string[]>();
  for (const slice of slices) byIndex.set(slice.info.shard.index, [...(byIndex.get(slice.info.shard.index) ?? []), slice.dir]);
  for (const [index, holders] of byIndex) if (holders.length > 1) problems.push(`shard ${index}/${count} is given ${holders.length} times: ${holders.join(', ')}`);
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) problems.push(`missing shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} of ${first.info.sweep.scenario}'s sweep (given: ${[...byIndex.keys()].sort((a, b) => a - b).map((i) => `${i}/${count}`).join(', ')})`);
  for (const slice of slices) {
    const expected = shardJobs(first.info.sweep.jobs, slice.info.shard);
    if (JSON.stringify(slice.info.jobs) !== JSON.stringify(expected)) problems.push(`${slice.dir}: holds jobs ${slice.info.jobs.join(', ')}, but shard ${slice.info.shard.index}/${count} is jobs ${expected.join(', ')}`);
    for (const k of slice.info.jobs) {
      const { cell, seed } = jobAt(first.info.sweep, k);
      if (!existsSync(join(jobDir(slice.dir, cell, seed), SWEEP_FILES.metrics))) problems.push(`${slice.dir}: job ${k} (${cell}, seed ${seed}) has no ${SWEEP_FILES.metrics}`);
    }
  }
  if (problems.length > 0) throw new SweepError(problems.join('\n'));
}

const short = (fingerprint: string): string => fingerprint.slice(0, 12);
