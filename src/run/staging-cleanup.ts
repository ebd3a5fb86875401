/**
 * Staging folders never outlive their run: a live one is removed when the process exits early
 * or is stopped by SIGINT, SIGTERM or SIGHUP (interrupt.ts); one left by a process that was
 * killed outright (SIGKILL, a power cut) is removed by the next run of the same output.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { onInterrupt } from './interrupt.js';
import { isRecloopFolder } from './output-marker.js';

const live = new Map<string, () => void>();

/** `.name.tmp-<pid>-<ms>`: hidden (readers skip it) and naming the process that writes it. */
export function stagingName(name: string): string {
  return `.${name}.tmp-${process.pid}-${Date.now()}`;
}

export function trackStaging(dir: string): void {
  live.set(dir, onInterrupt(() => rmSync(dir, { recursive: true, force: true })));
}

export function untrackStaging(dir: string): void {
  live.get(dir)?.();
  live.delete(dir);
}

/**
 * Removes the staging folders of `finalDir` whose process is gone. An earlier run left in
 * `<staging>.old` (killed while replacing it) is put back when nothing took its place.
 */
export async function removeStaleStaging(finalDir: string): Promise<void> {
  const parent = dirname(finalDir);
  const pattern = new RegExp(`^\\.${escape(basename(finalDir))}\\.tmp-(\\d+)-\\d+(\\.old)?$`);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  // Staging folders first, so an `.old` one is judged after they are gone.
  for (const name of names.sort((a, b) => Number(a.endsWith('.old')) - Number(b.endsWith('.old')))) {
    const match = pattern.exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    const dir = join(parent, name);
    if (!isRecloopFolder(dir) && !isEmptyFolder(dir)) continue;
    if (match[2] !== undefined && !existsSync(finalDir)) await rename(dir, finalDir);
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
