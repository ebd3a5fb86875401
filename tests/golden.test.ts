/**
 * Golden outputs: each short scenario under tests/golden/<case>/ is rerun and what it writes is
 * compared byte for byte with the stored files (training losses to 1e-6, below), so a change
 * that moves any result fails here.
 *
 * Regenerating is deliberate: `UPDATE_GOLDEN=1 npx vitest run tests/golden.test.ts` rewrites the
 * files, and they change only in a commit that says why the results moved (docs/TESTING.md).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKEND_FILE, GOLDEN_CASES, GOLDEN_DIR, runGoldenCase } from './support/golden.js';
import { tempDir } from './support/scenarios.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

/**
 * Training losses are sums the model runtime reduces in an order set by the processor's vector
 * width: on a machine with AVX2 and one with AVX-512 the two-tower's loss differs in its eighth
 * digit while every weight, and so every other figure, is the same. They are compared to 1e-6.
 */
const RUNTIME_REDUCED = /_train_loss$/;

/** Where `actual` differs from `stored` (parsed JSON), or null; numbers under RUNTIME_REDUCED keys to a relative 1e-6. */
function jsonDifference(actual: unknown, stored: unknown, path: string): string | null {
  if (typeof actual === 'number' && typeof stored === 'number' && RUNTIME_REDUCED.test(path)) {
    return Math.abs(actual - stored) <= 1e-6 * Math.abs(stored) ? null : `${path}: ${actual} against ${stored}`;
  }
  if (actual !== null && stored !== null && typeof actual === 'object' && typeof stored === 'object') {
    const keys = [...new Set([...Object.keys(actual), ...Object.keys(stored)])];
    for (const key of keys) {
      const found = jsonDifference((actual as Record<string, unknown>)[key], (stored as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
    return null;
  }
  return Object.is(actual, stored) ? null : `${path}: ${JSON.stringify(actual)} against ${JSON.stringify(stored)}`;
}

/** Byte for byte, except runtime-reduced numbers in JSON files: the text where it differs, else null. */
function outputDifference(file: string, text: string, stored: string): string | null {
  if (text === stored) return null;
  if (file.endsWith('.json')) return jsonDifference(JSON.parse(text), JSON.parse(stored), file);
  if (file.endsWith('.jsonl')) {
    const lines = text.split('\n');
    const storedLines = stored.split('\n');
    if (lines.length !== storedLines.length) return `${file}: ${lines.length} lines against ${storedLines.length}`;
    for (const [k, line] of lines.entries()) {
      if (line === storedLines[k]) continue;
      if (line.trim() === '' || storedLines[k].trim() === '') return `${file} line ${k + 1} differs`;
      const found = jsonDifference(JSON.parse(line), JSON.parse(storedLines[k]), `${file}:${k + 1}`);
      if (found) return found;
    }
    return null;
  }
  return `${file} differs`;
}

describe('golden outputs', () => {
  for (const name of GOLDEN_CASES) {
    it(`${name}: a fresh run writes exactly the stored files`, async (context) => {
      const dir = join(GOLDEN_DIR, name);
      const run = await runGoldenCase(name, join(tempDir(), name));
      const backendFile = join(dir, BACKEND_FILE);
      if (UPDATE) {
        for (const [file, text] of run.files) writeFileSync(join(dir, file), text);
        if (run.backend !== undefined) writeFileSync(backendFile, `${run.backend}\n`);
        return;
      }
      if (run.backend !== undefined) {
        const stored = readFileSync(backendFile, 'utf8').trim();
        // tfjs float results differ between backends (README "Run folders"): compare only on the recorded one.
        if (run.backend !== stored) context.skip(`golden ${name} was recorded on the ${stored} backend; this process uses ${run.backend}`);
      }
      const stored = readdirSync(dir).filter((f) => f !== 'scenario.yaml' && f !== BACKEND_FILE);
      expect(stored.sort(), 'stored golden files').toEqual([...run.files.keys()].sort());
      for (const [file, text] of run.files) {
        expect(existsSync(join(dir, file)), file).toBe(true);
        expect(outputDifference(file, text, readFileSync(join(dir, file), 'utf8')), `${name}/${file}`).toBeNull();
      }
    }, 180_000);
  }
});
