import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEMI_SPACE_FLAG } from '../src/core/young-generation.js';

// The flag must be given when a process starts, so it is written where processes start: these
// places cannot import the constant, and would silently fall back to V8's default if they drifted.
describe('the young generation simulations run with', () => {
  it('is a flag node accepts', () => {
    const run = spawnSync(process.execPath, [SEMI_SPACE_FLAG, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('is given by the recloop command and by npm start', () => {
    const shebang = readFileSync('src/cli/main.ts', 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${SEMI_SPACE_FLAG}`);
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toContain(`node ${SEMI_SPACE_FLAG} dist/cli/main.js compare`);
  });
});
