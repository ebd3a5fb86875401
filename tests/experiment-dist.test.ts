/**
 * The worker entry from compiled JavaScript: the experiment code is compiled with tsc (only the
 * CLI and the worker entry with what they import), and `node <out>/cli/main.js compare` runs
 * its jobs in two worker processes started from the compiled worker.js; the comparison matches
 * the one computed on the calling thread from the sources.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../src/experiment/run-experiment.js';
import { parseScenario } from '../src/scenario/index.js';
import { SMALL_SCENARIO, tempDir } from './support/scenarios.js';

const ROOT = join(import.meta.dirname, '..');
// Inside the project, so that the compiled files resolve the project's node_modules.
const BUILD = join(ROOT, 'node_modules', '.cache', `recloop-experiment-dist-${process.pid}`);
const SCENARIO = `${SMALL_SCENARIO}
replicas: 2
experiment:
  design: user_split
  control: popularity
  arms: { popularity: {}, random: { kind: random, traffic: 0.3 } }
`;

afterAll(() => rmSync(BUILD, { recursive: true, force: true }));

describe('experiment workers from compiled JavaScript', () => {
  it('runs compare in worker processes from dist and agrees with the sources', async () => {
    mkdirSync(BUILD, { recursive: true });
    const tsconfig = {
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: { rootDir: join(ROOT, 'src'), outDir: join(BUILD, 'out'), declaration: false, sourceMap: false, incremental: false },
      include: [],
      files: [join(ROOT, 'src', 'cli', 'main.ts'), join(ROOT, 'src', 'experiment', 'worker.ts')],
    };
    writeFileSync(join(BUILD, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    // Type errors anywhere are `tsc --noEmit`'s to report; tsc emits JavaScript regardless.
    const build = spawnSync(process.execPath, [tsc, '-p', join(BUILD, 'tsconfig.json')], { encoding: 'utf8' });
    for (const emitted of ['cli/main.js', 'experiment/worker.js']) {
      expect(existsSync(join(BUILD, 'out', emitted)), `${emitted} not emitted:\n${build.stdout}${build.stderr}`).toBe(true);
    }

    const dir = tempDir();
    const file = join(dir, 'split.yaml');
    writeFileSync(file, SCENARIO);
    const out = join(dir, 'dist-run');
    const run = spawnSync(process.execPath, [join(BUILD, 'out', 'cli', 'main.js'), 'compare', file, '--out', out, '--workers', '2'], { encoding: 'utf8' });
    expect(run.stderr).toContain('2 jobs on 2 workers');
    expect(run.status).toBe(0);

    const inline = await runExperiment(parseScenario(SCENARIO, file), { outDir: join(dir, 'inline'), workers: 0 });
    expect(readFileSync(join(out, 'comparison.json'), 'utf8')).toBe(`${JSON.stringify(inline.comparison, null, 2)}\n`);
  });
});
