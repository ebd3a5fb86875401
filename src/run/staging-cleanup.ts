/**
 * Staging folders never outlive their run unless it can be resumed: a live one is removed when
 * the process exits early or is stopped by SIGINT, SIGTERM or SIGHUP (interrupt.ts), and one left
 * by a process that was killed outright (SIGKILL, a power cut) by the next run of the same output.
 * One that holds a checkpoint is kept for `recloop run --resume` (findResumable).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { onInterrupt } from './interrupt.js';
import { hasCheckpoint } from './checkpoint-file.js';
import { isRecloopFolder } from './output-marker.js';

const live = new Map<string, () => void>();

/** `.name.tmp-<pid>-<ms>`: hidden (readers skip it) and naming the process that writes it. */
export function stagingName(name: string): string {
  return `.${name}.tmp-${process.pid}-${Date.now()}`;
}

/** Removed on an interrupt unless it holds a checkpoint: a run stopped then can be resumed. */
export function trackStaging(dir: string): void {
  live.set(
    dir,
    onInterrupt(() => {
      if (!hasCheckpoint(dir)) rmSync(dir, { recursive: true, force: true });
    }),
  );
}

export function untrackStaging(dir: string): void {
  live.get(dir)?.();
  live.delete(dir);
}

/** The newest staging folder of `finalDir` that holds a checkpoint and whose process is gone: a run to resume. */
export function findResumable(finalDir: string): string | undefined {
  const found = staleStaging(finalDir).filter((s) => !s.old && hasCheckpoint(s.dir));
  return found.sort((a, b) => a.started - b.started).at(-1)?.dir;
}

interface Staging {
  readonly dir: string;
  readonly started: number;
  /** An earlier run moved aside while this one replaced it. */
  readonly old: boolean;
}

/** Staging folders of `finalDir` whose process is gone. */
function staleStaging(finalDir: string): Staging[] {
  const parent = dirname(finalDir);
  const pattern = new RegExp(`^\\.${escape(basename(finalDir))}\\.tmp-(\\d+)-(\\d+)(\\.old)?$`);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const match = pattern.exec(name);
    return match && !isAlive(Number(match[1])) ? [{ dir: join(parent, name), started: Number(match[2]), old: match[3] !== undefined }] : [];
  });
}

/**
 * Removes the staging folders of `finalDir` whose process is gone. An earlier run left in
 * `<staging>.old` (killed while replacing it) is put back when nothing took its place.
 */
export async function removeStaleStaging(finalDir: string): Promise<void> {
  // Staging folders first, so an `.old` one is judged after they are gone.
  for (const { dir, old } of staleStaging(finalDir).sort((a, b) => Number(a.old) - Number(b.old))) {
    if (!isRecloopFolder(dir) && !isEmptyFolder(dir)) continue;
    if (old && !existsSync(finalDir)) await rename(dir, finalDir);
    else await rm(dir, { recursive: true, force: true });
  }
}

function isEmptyFolder(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a process of another user has the number now; leave its folder alone.
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
