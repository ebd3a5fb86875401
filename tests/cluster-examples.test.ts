/**
 * The cluster job files in examples/cluster. The Slurm array script and its merge step are run
 * with bash as Slurm would run them (the array variables set by hand, recloop from the sources),
 * and must give the folder a one-machine sweep gives. Kubernetes cannot run here: the Indexed
 * Job is checked for the structure that makes it work (an indexed Job whose shard argument
 * agrees with its completions and parallelism, a shared volume, a merge that waits for every
 * slice) and its sweep options are planned as recloop would plan them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { planSweep, splitValues } from '../src/sweep/index.js';
import { SMALL_SCENARIO, tempDir } from './support/scenarios.js';
import { cli } from './support/run-cli.js';

const CLUSTER = resolve('examples/cluster');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const RECLOOP = `${process.execPath} --import ${TSX} ${resolve('src/cli/main.ts')}`;

type Plain = Record<string, unknown>;
const isPlain = (x: unknown): x is Plain => typeof x === 'object' && x !== null && !Array.isArray(x);
function at(value: unknown, ...path: (string | number)[]): unknown {
  let here = value;
  for (const key of path) here = Array.isArray(here) ? here[key as number] : isPlain(here) ? here[key] : undefined;
  return here;
}

/** Runs a job script with bash in `cwd`, given Slurm's variables; returns its exit code and stderr. */
function bash(script: string, cwd: string, env: Record<string, string>): { code: number; err: string } {
  try {
    execFileSync('bash', [join(CLUSTER, script)], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', RECLOOP, ...env }, stdio: 'pipe' });
    return { code: 0, err: '' };
  } catch (error) {
    const failed = error as { status: number; stderr: Buffer };
    return { code: failed.status, err: failed.stderr.toString() };
  }
}

describe('the Slurm job array', () => {
  it('runs shard i of the array size per task, and the merge step joins them into the one-machine folder', async () => {
    const script = readFileSync(join(CLUSTER, 'sweep.slurm'), 'utf8');
    expect(script).toMatch(/^#SBATCH --array=0-1$/m);
    expect(script).toContain('--shard "$index/$count"');
    const dir = tempDir();
    writeFileSync(join(dir, 'small.yaml'), SMALL_SCENARIO);
    const sweepArgs = '--grid recommender.slate_size=3,6 --seeds 2 --set horizon.days=2 --no-report';
    // SLURM_CPUS_PER_TASK=0: each task runs its jobs on its own thread here (no worker processes to start).
    const env = { SCENARIO: 'small.yaml', SWEEP_ARGS: sweepArgs, SWEEP_DIR: 'slices', SLURM_ARRAY_TASK_COUNT: '2', SLURM_ARRAY_TASK_MIN: '0', SLURM_CPUS_PER_TASK: '0' };
    for (const task of ['1', '0']) expect(bash('sweep.slurm', dir, { ...env, SLURM_ARRAY_TASK_ID: task })).toEqual({ code: 0, err: expect.any(String) });
    expect(readdirSync(join(dir, 'slices')).sort()).toEqual(['shard-0-of-2', 'shard-1-of-2']);
    expect(bash('merge.slurm', dir, { SWEEP_DIR: 'slices', OUT: 'merged', RECLOOP }).code).toBe(0);

    const whole = join(dir, 'whole');
    expect((await cli(['sweep', join(dir, 'small.yaml'), ...sweepArgs.split(' '), '--out', whole, '--workers', '0'])).code).toBe(0);
    for (const file of ['comparison.json', 'sweep.json', 'arms/recommender.slate_size=6/seed-4/metrics.jsonl']) {
      expect(readFileSync(join(dir, 'merged', file), 'utf8'), file).toBe(readFileSync(join(whole, file), 'utf8'));
    }
    // Outside an array, or an array that does not start at 0, it refuses.
    expect(bash('sweep.slurm', dir, env)).toEqual({ code: 2, err: expect.stringContaining('runs as a job array') });
    expect(bash('sweep.slurm', dir, { ...env, SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_MIN: '1' })).toEqual({ code: 2, err: expect.stringContaining('must start at 0') });
  });
});

describe('the Kubernetes Indexed Job', () => {
  const docs = parseAllDocuments(readFileSync(join(CLUSTER, 'sweep-job.yaml'), 'utf8')).map((d) => d.toJS() as unknown);
  const byName = (kind: string, name: string): unknown => docs.find((d) => at(d, 'kind') === kind && at(d, 'metadata', 'name') === name);

  it('runs shard $JOB_COMPLETION_INDEX of n = completions = parallelism, onto a shared volume', async () => {
    const sweep = byName('Job', 'recloop-sweep');
    expect(at(sweep, 'spec', 'completionMode')).toBe('Indexed');
    const n = at(sweep, 'spec', 'completions');
    expect(typeof n === 'number' && n > 1).toBe(true);
    expect(at(sweep, 'spec', 'parallelism')).toBe(n);
    const container = at(sweep, 'spec', 'template', 'spec', 'containers', 0);
    const command = at(container, 'command');
    expect(Array.isArray(command) && command.slice(0, 2)).toEqual(['sh', '-c']);
    const line = String(at(command, 2));
    expect(line).toContain(`--shard "$JOB_COMPLETION_INDEX/${n}"`);
    expect(line).toContain(`--out "/sweep/slices/shard-$JOB_COMPLETION_INDEX-of-${n}"`);
    expect(at(container, 'volumeMounts', 0)).toEqual({ name: 'sweep', mountPath: '/sweep' });
    expect(at(sweep, 'spec', 'template', 'spec', 'volumes', 0)).toEqual({ name: 'sweep', persistentVolumeClaim: { claimName: 'recloop-sweep' } });
    expect(at(byName('PersistentVolumeClaim', 'recloop-sweep'), 'spec', 'accessModes')).toEqual(['ReadWriteMany']);

    // The sweep's options are valid for its scenario: planned as recloop plans them.
    const env = at(container, 'env');
    const args = Array.isArray(env) ? String(env.find((e) => at(e, 'name') === 'SWEEP_ARGS')?.value) : '';
    expect(line).toContain('recloop sweep scenarios/popularity.yaml $SWEEP_ARGS');
    const words = args.split(/\s+/);
    const values = (option: string): string[] => words.flatMap((w, i) => (words[i - 1] === option ? [w] : []));
    const plan = await planSweep({ file: 'scenarios/popularity.yaml', grid: values('--grid'), set: values('--set'), seeds: Number(values('--seeds')[0]) });
    expect(plan.cells.length).toBe(values('--grid').reduce((product, g) => product * splitValues(g.slice(g.indexOf('=') + 1)).length, 1));
    expect(plan.cells.length * plan.seeds.length).toBeGreaterThanOrEqual(n as number);
  });

  it('merges once all n slices are on the volume', () => {
    const n = at(byName('Job', 'recloop-sweep'), 'spec', 'completions');
    const merge = at(byName('Job', 'recloop-merge'), 'spec', 'template', 'spec');
    const wait = String(at(merge, 'initContainers', 0, 'command', 2));
    expect(wait).toContain('/sweep/slices/*/slice.json');
    expect(wait).toContain(`-ge ${n} ]`);
    expect(String(at(merge, 'containers', 0, 'command', 2))).toContain('recloop merge /sweep/slices/shard-* --out /sweep/merged');
    expect(at(merge, 'volumes', 0)).toEqual({ name: 'sweep', persistentVolumeClaim: { claimName: 'recloop-sweep' } });
  });
});
