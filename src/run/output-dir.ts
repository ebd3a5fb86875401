/**
 * A run writes into a temporary folder beside its destination and is moved into place only
 * when it has finished, so a failed or interrupted run never touches an earlier one; an
 * existing run folder is replaced only when asked to (--force).
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export class OutputExistsError extends Error {
  constructor(readonly dir: string) {
    super(`${dir} already exists; pass --force to replace it or --out to write elsewhere`);
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

  static async create(finalDir: string, force: boolean): Promise<StagedOutput> {
    if (!force && existsSync(finalDir)) throw new OutputExistsError(finalDir);
    const staging = join(dirname(finalDir), `.${basename(finalDir)}.tmp-${process.pid}-${Date.now()}`);
    await mkdir(staging, { recursive: true });
    return new StagedOutput(finalDir, staging, force);
  }

  /** Moves the finished run into place, replacing an earlier one only with force. */
  async commit(): Promise<void> {
    if (existsSync(this.finalDir)) {
      if (!this.force) {
        await this.discard();
        throw new OutputExistsError(this.finalDir);
      }
      const old = `${this.dir}.old`;
      await rename(this.finalDir, old);
      await rename(this.dir, this.finalDir);
      await rm(old, { recursive: true, force: true });
      return;
    }
    await rename(this.dir, this.finalDir);
  }

  async discard(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
