/**
 * Staging folders never outlive their run: the live ones are removed when the process ends or
 * is stopped by SIGINT, SIGTERM or SIGHUP; one left by a process that was killed outright
 * (SIGKILL, a power cut) is removed by the next run of the same output.
 *
 * Signal handlers run between JavaScript tasks, so a run stops at its next pause (a population
 * run: at the end of the epoch in progress). The handler removes the staging folders and then
 * raises the signal again, so the process still ends the way the signal asks.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isRecloopFolder } from './output-marker.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const live = new Set<string>();

/** `.name.tmp-<pid>-<ms>`: hidden (readers skip it) and naming the process that writes it. */
export function stagingName(name: string): string {
  return `.${name}.tmp-${process.pid}-${Date.now()}`;
}

export function trackStaging(dir: string): void {
  live.add(dir);
  if (live.size === 1) {
    for (const signal of SIGNALS) process.on(signal, onSignal);
    process.on('exit', removeLive);
  }
}

export function untrackStaging(dir: string): void {
  if (!live.delete(dir) || live.size > 0) return;
  for (const signal of SIGNALS) process.off(signal, onSignal);
  process.off('exit', removeLive);
}

function removeLive(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeLive();
  for (const s of SIGNALS) process.off(s, onSignal);
  process.off('exit', removeLive);
  process.kill(process.pid, signal);
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
