/**
 * The Chromium the browser test drives. CHROMIUM_PATH picks one; otherwise it is the headless
 * build that ships inside the @sparticuz/chromium npm package (brotli-compressed in the package
 * itself, so `npm install` needs no download and no system package), unpacked once into
 * node_modules/.cache/ next to the package that shipped it.
 */
import { chmodSync, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

const NODE_MODULES = resolve(import.meta.dirname, '..', '..', 'node_modules');
const PACKAGE = join(NODE_MODULES, '@sparticuz', 'chromium');

/** Flags for a headless run on a machine without network, GPU or a user namespace sandbox. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  // No network: keep Chromium from trying (and from logging that it failed to).
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Path of a Chromium executable, unpacking the npm-shipped one on first use. */
export async function chromiumExecutable(): Promise<string> {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen !== undefined && chosen !== '') {
    if (!existsSync(chosen)) throw new Error(`CHROMIUM_PATH=${chosen}: no such file`);
    return chosen;
  }
  const packed = join(PACKAGE, 'bin', 'chromium.br');
  if (!existsSync(packed)) throw new Error(`${packed} is missing: run npm install (the browser test uses the Chromium in @sparticuz/chromium), or set CHROMIUM_PATH`);
  const { version } = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as { version: string };
  const dir = join(NODE_MODULES, '.cache', 'recloop', `chromium-${version}`);
  const executable = join(dir, 'chromium');
  if (existsSync(executable)) return executable;
  mkdirSync(dir, { recursive: true });
  // Unpack beside it and rename: a concurrent or interrupted unpack never leaves a partial binary at the path.
  const partial = `${executable}.${process.pid}.partial`;
  try {
    await pipeline(createReadStream(packed), createBrotliDecompress(), createWriteStream(partial, { mode: 0o755 }));
    chmodSync(partial, 0o755);
    renameSync(partial, executable);
  } finally {
    rmSync(partial, { force: true });
  }
  return executable;
}
