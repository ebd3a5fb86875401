/**
 * Shard threads started from the command line before the run is read (src/parallel/shard-threads.ts):
 * how many a command line asks for, and that one no run takes does not keep the process alive.
 * That a run takes one and writes the same files is in parallel-serving.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shardThreadsAsked } from '../src/parallel/shard-threads.js';

describe('shard threads started early', () => {
  it('are asked for by `run … --workers N` (N − 1 of them), in either spelling, the last one given counting', () => {
    expect(shardThreadsAsked(['run', 's.yaml', '--workers', '2'])).toBe(1);
    expect(shardThreadsAsked(['run', '--workers=3', 's.yaml', '--no-logs'])).toBe(2);
    expect(shardThreadsAsked(['run', 's.yaml', '--workers', '4', '--workers', '2'])).toBe(1);
    expect(shardThreadsAsked(['run', 's.yaml', '--workers', '1'])).toBe(0);
    expect(shardThreadsAsked(['run', 's.yaml'])).toBe(0);
    expect(shardThreadsAsked(['run', 's.yaml', '--workers', 'two'])).toBe(0);
    expect(shardThreadsAsked(['run', 's.yaml', '--workers'])).toBe(0);
    // Other commands run their work in processes of their own, or not at all.
    expect(shardThreadsAsked(['sweep', 's.yaml', '--workers', '2'])).toBe(0);
    expect(shardThreadsAsked(['validate', 'run', '--workers', '2'])).toBe(0);
  });

  it('do not keep the process alive when no run takes them (a refused run ends at once)', () => {
    const code = "import('./src/parallel/shard-threads.ts').then((m) => { m.startShardThreadsEarly(1); console.log('waiting', m.shardThreadsWaiting()); })";
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('waiting 1');
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
  }, 90_000);
});
