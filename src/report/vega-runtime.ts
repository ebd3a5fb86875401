/**
 * Vega's browser build (UMD, defines `vega`), read from the installed package so the HTML report
 * can inline it: the page then renders offline, with no CDN and nothing fetched.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: Promise<string> | undefined;

export function vegaBrowserBuild(): Promise<string> {
  // The package's entry is build/vega.module.js; the minified browser bundle sits beside it.
  cached ??= readFile(join(dirname(createRequire(import.meta.url).resolve('vega')), 'vega.min.js'), 'utf8');
  return cached;
}
