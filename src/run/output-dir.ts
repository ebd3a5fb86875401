/**
 * A result folder is written into a hidden staging folder beside its destination and moved into
 * place only when it has finished, so a failed or interrupted run never touches an earlier one.
 * An existing folder is replaced only when asked to (--force), and only if recloop wrote it or
 * it is empty (output-marker.ts); staging folders are removed on failure, on Ctrl-C and, when a
 * killed process left one, by the next run of the same output (staging-cleanup.ts), except one
 * holding a checkpoint, which waits for `recloop run --resume` (or --force, to start over).
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { refusalToReplace, writeMarker, type OutputKind } from './output-marker.js';
import { findResumable, removeStaleStaging, stagingName, trackStaging, untrackStaging } from './staging-cleanup.js';

export class OutputExistsError extends Error {
  constructor(
    readonly dir: string,
    message = `${dir} already exists; pass --force to replace it or --out to write elsewhere`,
  ) {
    super(message);
    this.name = 'OutputExistsError';
  }
}

export class StagedOutput {
  private constructor(
    readonly finalDir: string,
    /** Where the run writes until it commits. */
    readonly dir: string,
    private readonly force: boolean,
  ) {}

  static async create(finalDir: string, force: boolean, kind: OutputKind): Promise<StagedOutput> {
    if (finalDir.trim() === '') throw new OutputExistsError(finalDir, '--out is empty; expected the folder to write, e.g. --out output/my-run');
    const resumable = findResumable(finalDir);
    if (resumable !== undefined && !force) {
      throw new OutputExistsError(finalDir, `${finalDir}: a stopped run waits in ${resumable}; resume it with \`recloop run --resume ${finalDir}\`, or pass --force to start over`);
    }
    // First, so an earlier run a killed process left in `.old` is back in place and judged like any other.
    await removeStaleStaging(finalDir);
    checkReplaceable(finalDir, force);
    const staging = join(dirname(finalDir), stagingName(basename(finalDir)));
    await mkdir(staging, { recursive: true });
    trackStaging(staging);
    await writeMarker(staging, kind);
    return new StagedOutput(finalDir, staging, force);
  }

  /** Takes over the staging folder of a stopped run (findResumable), renamed as this process's own. */
  static async resume(finalDir: string, stopped: string, force: boolean): Promise<StagedOutput> {
    const staging = join(dirname(finalDir), stagingName(basename(finalDir)));
    await rename(stopped, staging);
    trackStaging(staging);
    return new StagedOutput(finalDir, staging, force);
  }

  /** Moves the finished run into place, replacing an earlier one only with force (and only one recloop wrote). */
  async commit(): Promise<void> {
    if (existsSync(this.finalDir)) {
      try {
        checkReplaceable(this.finalDir, this.force);
      } catch (error) {
        await this.discard();
        throw error;
      }
      const old = `${this.dir}.old`;
      // Killed between these two moves, the earlier run waits in `old`; the next run of this output puts it back.
      await rename(this.finalDir, old);
      await rename(this.dir, this.finalDir);
      untrackStaging(this.dir);
      await rm(old, { recursive: true, force: true });
      return;
    }
    await rename(this.dir, this.finalDir);
    untrackStaging(this.dir);
  }

  /** Leaves the staging folder where it is (a stopped run's, for --resume). */
  leave(): void {
    untrackStaging(this.dir);
  }

  async discard(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    untrackStaging(this.dir);
  }
}

/** Throws OutputExistsError, with what is there, unless the folder may be written (missing, or force on a folder recloop wrote or an empty one). */
function checkReplaceable(finalDir: string, force: boolean): void {
  const refusal = refusalToReplace(finalDir);
  if (refusal !== undefined) throw new OutputExistsError(finalDir, refusal);
  if (!force && existsSync(finalDir)) throw new OutputExistsError(finalDir);
}
