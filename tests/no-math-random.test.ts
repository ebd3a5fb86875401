// Every random draw in src/ must come from a seeded stream (src/rng), or runs
// stop being reproducible. This guard fails on any use of the global
// generator, listing file:line so the offender is easy to find.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');

// Also catches spaced and bracketed spellings (see the first test); comments are not exempt.
const FORBIDDEN = /\bMath\s*(?:\.\s*random\b|\[\s*['"`]random['"`]\s*\])/;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

function offendingLines(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (FORBIDDEN.test(line)) lines.push(i + 1);
  });
  return lines;
}

describe('no global randomness in src/', () => {
  it('detects the forbidden token in its usual spellings', () => {
    // Spelled in pieces so that this file would pass its own scan.
    const call = (access: string): string => `const x = Math${access}();`;
    expect(offendingLines(`const a = 1;\n${call('.random')}`)).toEqual([2]);
    expect(offendingLines(call(' . random'))).toEqual([1]);
    expect(offendingLines(call("['random']"))).toEqual([1]);
    expect(offendingLines(`${call('.randomize')} rng.random();`)).toEqual([]);
  });

  it('finds no use of the global generator in any .ts file under src/', () => {
    const files = tsFiles(SRC);
    expect(files.length).toBeGreaterThan(0);
    const hits = files.flatMap((file) =>
      offendingLines(readFileSync(file, 'utf8')).map((line) => `${relative(ROOT, file)}:${line}`),
    );
    expect(hits, `use a seeded Rng from src/rng instead:\n${hits.join('\n')}`).toEqual([]);
  });
});
