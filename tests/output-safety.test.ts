/**
 * --force replaces only what recloop wrote, and staging folders never outlive their run: real
 * commands over real folders in a temporary directory.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE } from '../src/run/checkpoint-file.js';
import { MARKER_FILE } from '../src/run/output-marker.js';
import { runScenario } from '../src/run/run-scenario.js';
import { SMALL_SCENARIO, smallScenario, tempDir } from './support/scenarios.js';
import { cli } from './support/run-cli.js';

const ROOT = resolve(import.meta.dirname, '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
/** tsx by its path: the children run in a temporary folder, where `--import tsx` would not resolve. */
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const TINY = ['--set', 'horizon.days=1', '--no-logs', '--no-report'];

function scenarioFile(dir: string): string {
  const file = join(dir, 'small.yaml');
  writeFileSync(file, SMALL_SCENARIO);
  return file;
}

/** Every path below `dir` with its bytes, so "byte-identical" is one comparison. */
function snapshot(dir: string): string {
  if (!statSync(dir).isDirectory()) return readFileSync(dir, 'base64');
  return readdirSync(dir)
    .sort()
    .map((name) => `${name}:${snapshot(join(dir, name))}`)
    .join('\n');
}

function hidden(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('.'));
}

describe('--force', () => {
  it('refuses a folder recloop did not write and leaves it byte-identical', async () => {
    const dir = tempDir();
    const mine = join(dir, 'thesis');
    mkdirSync(join(mine, 'chapters'), { recursive: true });
    writeFileSync(join(mine, 'notes.txt'), 'do not delete');
    writeFileSync(join(mine, 'chapters', 'one.md'), '# One');
    const before = snapshot(mine);
    const { code, err } = await cli(['run', scenarioFile(dir), '--out', mine, '--force', ...TINY]);
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(`${mine} is a folder recloop did not write (it holds chapters, notes.txt)`);
    expect(err).toContain('--force replaces only a folder recloop wrote (it holds .recloop.json) or an empty folder');
    expect(snapshot(mine)).toBe(before);
    expect(hidden(dir)).toEqual([]);
  });

  it('without --force, says the same of such a folder instead of suggesting --force', async () => {
    const dir = tempDir();
    const mine = join(dir, 'thesis');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'x');
    const { code, err } = await cli(['run', scenarioFile(dir), '--out', mine, ...TINY]);
    expect(code).toBe(2);
    expect(err).toContain('is a folder recloop did not write');
    expect(err).not.toContain('pass --force');
  });

  it('refuses a plain file and leaves it byte-identical', async () => {
    const dir = tempDir();
    const file = join(dir, 'results.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const { code, err } = await cli(['run', scenarioFile(dir), '--out', file, '--force', ...TINY]);
    expect(code).toBe(2);
    expect(err).toContain(`${file} is a file, not a result folder`);
    expect(readFileSync(file, 'utf8')).toBe('a,b\n1,2\n');
  });

  it('refuses a folder of runs (output/), naming the runs in it, and leaves them all in place', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const output = join(dir, 'output');
    expect((await cli(['run', file, '--out', join(output, 'a'), ...TINY])).code).toBe(0);
    expect((await cli(['run', file, '--out', join(output, 'b'), ...TINY, '--seed', '4'])).code).toBe(0);
    const before = snapshot(output);
    const { code, err } = await cli(['run', file, '--out', output, '--force', ...TINY]);
    expect(code).toBe(2);
    expect(err).toContain(`${output} holds result folders (a, b) but was not written by recloop itself`);
    expect(snapshot(output)).toBe(before);
  });

  it('refuses the current folder and the folders above it (a separate process, so it has its own working folder)', () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    for (const out of ['.', '..']) {
      const child = spawnSync(process.execPath, ['--import', TSX, MAIN, 'run', file, '--out', out, '--force', ...TINY], { cwd: dir, encoding: 'utf8' });
      expect(child.status).toBe(2);
      expect(child.stderr).toContain(out === '.' ? '. is the current folder; --force never replaces it' : '.. is a folder that holds the current folder');
      expect(child.stderr).not.toContain('EBUSY');
    }
    expect(readdirSync(dir)).toEqual(['small.yaml']);
  });

  it('refuses the home folder (HOME pointed at a temporary one) and a symbolic link', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const home = join(dir, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.bashrc'), 'export X=1');
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      const { code, err } = await cli(['run', file, '--out', home, '--force', ...TINY]);
      expect(code).toBe(2);
      expect(err).toContain(`${home} is the home folder; --force never replaces it`);
    } finally {
      process.env.HOME = saved;
    }
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toBe('export X=1');
    const run = join(dir, 'run');
    expect((await cli(['run', file, '--out', run, ...TINY])).code).toBe(0);
    const link = join(dir, 'link');
    symlinkSync(run, link);
    const { code, err } = await cli(['run', file, '--out', link, '--force', ...TINY]);
    expect(code).toBe(2);
    expect(err).toContain(`${link} is a symbolic link, not a result folder`);
    expect(readlinkSync(link)).toBe(run);
  });

  it('compare, sweep, ope, a bandit run and merge refuse the same way before any work', async () => {
    const dir = tempDir();
    const file = join(dir, 'small.yaml');
    writeFileSync(file, `${SMALL_SCENARIO}experiment:\n  control: a\n  arms:\n    a: {}\n    b: { kind: random }\n`);
    const bandit = join(dir, 'bandit.yaml');
    writeFileSync(bandit, readFileSync(join(ROOT, 'scenarios', 'bandit.yaml'), 'utf8'));
    const mine = join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'data.csv'), '1,2\n');
    const commands = [
      ['compare', file, '--workers', '0'],
      ['sweep', file, '--grid', 'recommender.slate_size=3,4', '--workers', '0'],
      ['ope', file],
      ['run', bandit],
    ];
    const slice = join(dir, 'slice');
    expect((await cli(['sweep', file, '--grid', 'recommender.slate_size=3,4', '--seeds', '1', '--shard', '0/1', '--workers', '0', '--out', slice, ...TINY.slice(0, 2)])).code).toBe(0);
    commands.push(['merge', slice]);
    for (const command of commands) {
      const { code, err } = await cli([...command, '--out', mine, '--force']);
      expect(code, command[0]).toBe(2);
      expect(err, command[0]).toContain(`${mine} is a folder recloop did not write (it holds data.csv)`);
    }
    expect(readdirSync(dir).sort()).toEqual(['bandit.yaml', 'mine', 'slice', 'small.yaml']);
    expect(readdirSync(mine)).toEqual(['data.csv']);
  });

  it('a folder of your own that appears at the destination while a run works is not replaced when it ends', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const run = runScenario(smallScenario(['horizon.days=2', 'logs.impressions=false']), {
      outDir: out,
      force: true,
      onEpoch: (e) => {
        if (e.bounds.epoch !== 0) return;
        mkdirSync(out);
        writeFileSync(join(out, 'mine.txt'), 'mine');
      },
    });
    await expect(run).rejects.toThrow(`${out} is a folder recloop did not write (it holds mine.txt)`);
    expect(readdirSync(out)).toEqual(['mine.txt']);
    expect(hidden(dir)).toEqual([]);
  });

  it('replaces an empty folder, a run folder, and a run written before the marker existed', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const out = join(dir, 'run');
    mkdirSync(out);
    expect((await cli(['run', file, '--out', out, '--force', ...TINY])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, MARKER_FILE), 'utf8'))).toEqual({ written_by: 'recloop', kind: 'run' });
    const first = readFileSync(join(out, 'metrics.jsonl'), 'utf8');
    expect((await cli(['run', file, '--out', out, '--force', ...TINY, '--seed', '8'])).code).toBe(0);
    const second = readFileSync(join(out, 'metrics.jsonl'), 'utf8');
    expect(second).not.toBe(first);
    rmSync(join(out, MARKER_FILE)); // as an older recloop left it: recognised by scenario.resolved.yaml and run.json
    expect((await cli(['run', file, '--out', out, '--force', ...TINY])).code).toBe(0);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8')).toBe(first);
    expect(readdirSync(dir).sort()).toEqual(['run', 'small.yaml']);
  });

  it('an older run folder missing its result files is not recognised', async () => {
    const dir = tempDir();
    const out = join(dir, 'half');
    mkdirSync(out);
    writeFileSync(join(out, 'scenario.resolved.yaml'), 'name: x\n');
    const { code, err } = await cli(['run', scenarioFile(dir), '--out', out, '--force', ...TINY]);
    expect(code).toBe(2);
    expect(err).toContain('is a folder recloop did not write (it holds scenario.resolved.yaml)');
  });
});

describe('names from scenarios never leave the output folder', () => {
  const cases: readonly { readonly name: string; readonly yaml: (text: string) => string; readonly line: string; readonly field: string }[] = [
    { name: 'a name of dots', yaml: (t) => t.replace('name: small', 'name: ..'), line: ':2:7:', field: 'name:' },
    { name: 'a hidden name', yaml: (t) => t.replace('name: small', 'name: .small'), line: ':2:7:', field: 'name:' },
    { name: 'a path', yaml: (t) => t.replace('name: small', 'name: ../../etc'), line: ':2:7:', field: 'name:' },
    { name: 'an absolute path', yaml: (t) => t.replace('name: small', 'name: /tmp/x'), line: ':2:7:', field: 'name:' },
    {
      name: 'an arm named ..',
      yaml: (t) => `${t}experiment:\n  control: a\n  arms:\n    a: {}\n    "..": { kind: random }\n`,
      line: ':18:11:',
      field: 'experiment.arms[".."]:',
    },
  ];
  for (const c of cases) {
    it(`${c.name} is a validation error naming the file, line and field, and nothing is written`, async () => {
      const dir = tempDir();
      const file = join(dir, 'small.yaml');
      writeFileSync(file, c.yaml(SMALL_SCENARIO));
      const { code, err } = await cli(c.name.startsWith('an arm') ? ['compare', file, '--workers', '0'] : ['run', file]);
      expect(code).toBe(2);
      expect(err).toContain(`${file}${c.line} ${c.field}`);
      expect(err).toMatch(/not start with a dot/);
      expect(readdirSync(dir)).toEqual(['small.yaml']);
    });
  }
});

describe('staging folders', () => {
  it('one left by a killed process is removed by the next run of the same output', async () => {
    const dir = tempDir();
    const dead = deadPid();
    const stale = join(dir, `.run.tmp-${dead}-1`);
    mkdirSync(join(stale, 'impressions'), { recursive: true });
    writeFileSync(join(stale, MARKER_FILE), '{"written_by":"recloop","kind":"run"}\n');
    writeFileSync(join(stale, 'metrics.jsonl'), '{"epoch":0}\n');
    // Same pattern, but not recloop's: left alone.
    const foreign = join(dir, `.run.tmp-${dead}-2`);
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'keep.txt'), 'mine');
    expect((await cli(['run', scenarioFile(dir), '--out', join(dir, 'run'), ...TINY])).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([`.run.tmp-${dead}-2`, 'run', 'small.yaml']);
  });

  it('an earlier run a killed process was replacing (left in .old) is put back, not lost', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const out = join(dir, 'run');
    expect((await cli(['run', file, '--out', out, ...TINY])).code).toBe(0);
    const before = snapshot(out);
    const dead = deadPid();
    const { renameSync } = await import('node:fs');
    renameSync(out, join(dir, `.run.tmp-${dead}-5.old`));
    const again = await cli(['run', file, '--out', out, ...TINY]);
    expect(again.code).toBe(2); // the earlier run is back in place, so this one is refused as usual, before any work
    expect(again.err.trim().split('\n')).toHaveLength(1); // no progress lines: refused before the run
    expect(again.err).toContain('already exists; pass --force');
    expect(snapshot(out)).toBe(before);
    expect(hidden(dir)).toEqual([]);
  });

  it('SIGKILL mid-run leaves the staging folder; the next run of the same output with --force removes it (without, one with a checkpoint is refused: resume.test.ts)', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const child = spawn(process.execPath, ['--import', TSX, MAIN, 'run', file, '--out', join(dir, 'run'), '--set', 'horizon.days=400', '--no-report'], {
      cwd: dir,
      stdio: 'ignore',
    });
    const ended = new Promise((done) => child.on('exit', done));
    await untilAnEpochIsStaged(dir);
    child.kill('SIGKILL');
    await ended;
    expect(hidden(dir)).toEqual([expect.stringMatching(new RegExp(`^\\.run\\.tmp-${child.pid}-\\d+$`))]);
    expect((await cli(['run', file, '--out', join(dir, 'run'), '--force', ...TINY])).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['run', 'small.yaml']);
  });

  it('Ctrl-C (SIGINT) during recloop run stops after the epoch in progress, leaves a folder to resume and says how', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const child = spawn(process.execPath, ['--import', TSX, MAIN, 'run', file, '--out', join(dir, 'run'), '--set', 'horizon.days=400', '--no-report'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
    await untilAnEpochIsStaged(dir, () => err);
    child.kill('SIGINT');
    const { code } = await ended;
    expect(code).toBe(130);
    expect(err).not.toContain('Error');
    expect(err).toContain('stopping after the epoch in progress, with a checkpoint to resume from');
    expect(err).toMatch(new RegExp(`stopped after epoch \\d+; resume with \`recloop run --resume ${join(dir, 'run').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\``));
    const [staging] = hidden(dir);
    expect(readdirSync(join(dir, staging))).toContain(CHECKPOINT_FILE);
  });
});

/** Waits until a run has written an epoch into its staging folder in `dir`. */
async function untilAnEpochIsStaged(dir: string, said: () => string = () => ''): Promise<void> {
  const started = Date.now();
  while (!hidden(dir).some((name) => existsSync(join(dir, name, 'metrics.jsonl')) && readFileSync(join(dir, name, 'metrics.jsonl'), 'utf8').length > 0)) {
    if (Date.now() - started > 60_000) throw new Error(`the run never started: ${said()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A process number no process has: a finished child's. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('Ctrl-C to the parent of recloop compare alone', () => {
  it('removes the staging folder, and its worker processes stop too instead of failing to report', async () => {
    const dir = tempDir();
    const file = join(dir, 'small.yaml');
    writeFileSync(file, `${SMALL_SCENARIO}experiment:\n  control: a\n  arms:\n    a: {}\n    b: { kind: random }\n`);
    const child = spawn(process.execPath, ['--import', TSX, MAIN, 'compare', file, '--out', join(dir, 'cmp'), '--set', 'horizon.days=400', '--workers', '1', '--replicas', '1', '--no-report'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const ended = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    const started = Date.now();
    while (!/compare \d+\/\d+ epochs/.test(err) || hidden(dir).length === 0) {
      if (Date.now() - started > 60_000) throw new Error(`the compare never started: ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // The pool's worker, named by its command line; tsx's esbuild service, which the parent may be
    // running for a moment to compile a module, is not one.
    const children = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(child.pid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
    const pools = children.filter((line) => !/esbuild/.test(line));
    expect(pools, children.join('\n')).toHaveLength(1);
    const workers = pools.map((line) => Number(line.trim().split(/\s+/)[0]));
    child.kill('SIGINT');
    expect(await ended).toBe('SIGINT');
    expect(readdirSync(dir)).toEqual(['small.yaml']);
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const stopping = Date.now();
    while (workers.some(alive)) {
      if (Date.now() - stopping > 30_000) {
        for (const pid of workers.filter(alive)) process.kill(pid);
        throw new Error('a worker kept running after its pool was gone');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 200)); // anything a worker printed on its way out
    expect(err).not.toMatch(/EPIPE|ERR_IPC|Error/);
  });
});
