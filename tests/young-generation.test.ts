import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HUGE_PAGES_TUNABLE } from '../src/core/huge-pages.js';
import { HEAP_FLAGS } from '../src/core/young-generation.js';

// The flags must be given when a process starts, so they are written where processes start: these
// places cannot import the constants, and would silently fall back to V8's defaults if they drifted.
describe('the heap flags simulations run with', () => {
  it('are flags node accepts', () => {
    const run = spawnSync(process.execPath, [...HEAP_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('are given by the recloop command and by npm start', () => {
    const shebang = readFileSync('src/cli/main.ts', 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S GLIBC_TUNABLES=${HUGE_PAGES_TUNABLE}:\${GLIBC_TUNABLES} node ${HEAP_FLAGS.join(' ')}`);
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toContain(`node ${HEAP_FLAGS.join(' ')} dist/cli/main.js compare`);
  });

  it('come with huge pages on the recloop command\'s first line, a caller\'s tunables kept and first', () => {
    // What the kernel runs for the first line: env with its -S string, then node with a script.
    const shebang = readFileSync('src/cli/main.ts', 'utf8').split('\n')[0];
    const split = shebang.slice('#!/usr/bin/env '.length);
    const tunables = (env: NodeJS.ProcessEnv): string => {
      const run = spawnSync('/usr/bin/env', [split, '-e', 'process.stdout.write(process.env.GLIBC_TUNABLES ?? "")'], { encoding: 'utf8', env });
      expect(run.stderr).toBe('');
      return run.stdout;
    };
    const { GLIBC_TUNABLES: _, ...rest } = process.env;
    expect(tunables(rest)).toBe(`${HUGE_PAGES_TUNABLE}:`);
    // glibc takes a tunable's last setting: a caller's own choice of huge pages comes after ours.
    expect(tunables({ ...rest, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' })).toBe(`${HUGE_PAGES_TUNABLE}:glibc.malloc.hugetlb=0`);
  });
});
