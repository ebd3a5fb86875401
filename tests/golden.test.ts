/**
 * Golden outputs: each short scenario under tests/golden/<case>/ is rerun and what it writes is
 * compared byte for byte with the stored files, so a change that moves any result fails here.
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
        expect(text, `${name}/${file}`).toBe(readFileSync(join(dir, file), 'utf8'));
      }
    }, 180_000);
  }
});
