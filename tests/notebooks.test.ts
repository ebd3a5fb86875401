/**
 * The notebooks in notebooks/ are executed headless with the TypeScript kernel (tslab), so an
 * API change that breaks one fails the tests instead of rotting unnoticed. The kernel is driven
 * over the Jupyter protocol from Node (tests/support/notebook-runner.ts): no Python or Jupyter.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../src/run/run-scenario.js';
import { executeNotebook, prepareWorkspace, type NotebookWorkspace } from './support/notebook-workspace.js';
import { smallScenario, tempDir } from './support/scenarios.js';

const NOTEBOOKS = 'notebooks';

let workspace: NotebookWorkspace;
let runDir: string;

beforeAll(async () => {
  const scratch = tempDir('recloop-notebooks-');
  runDir = join(scratch, 'runs', 'small');
  const [ready] = await Promise.all([prepareWorkspace(scratch), runScenario(smallScenario(['horizon.days=3']), { outDir: runDir })]);
  workspace = ready;
});

describe('notebooks', () => {
  it('are committed without outputs, with the TypeScript kernel', () => {
    const files = readdirSync(NOTEBOOKS).filter((f) => f.endsWith('.ipynb'));
    expect(files.sort()).toEqual(['compare-runs.ipynb', 'explore-run.ipynb']);
    for (const file of files) {
      const doc = JSON.parse(readFileSync(join(NOTEBOOKS, file), 'utf8')) as {
        metadata: { kernelspec: { name: string } };
        cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }[];
      };
      expect(doc.metadata.kernelspec.name, file).toBe('tslab');
      for (const cell of doc.cells.filter((c) => c.cell_type === 'code')) expect([cell.outputs, cell.execution_count], file).toEqual([[], null]);
    }
  });

  // The three executions are independent; running them together halves the wait on two cores.
  it.concurrent('explore-run.ipynb reads a run, queries its impressions and charts a metric', async () => {
    const result = await executeNotebook(workspace, join(NOTEBOOKS, 'explore-run.ipynb'), { RECLOOP_RUN: runDir });
    expect(result.outputs.filter((o) => o.type === 'error')).toEqual([]);
    expect(result.text).toContain('small: popularity recommender, 3 epochs over 3 days, seed 3');
    expect(result.text).toMatch(/^catalog_coverage\s+0\.9\d*\s+0\.\d+\s+0\.\d+$/m); // nearly all shown in the random start-up, then few
    expect(result.text).toMatch(/^epoch {2}impressions/m); // the SQL table
    expect(result.text).toContain('│█'); // a text chart
  });

  it.concurrent('compare-runs.ipynb runs two arms with two seeds each and tabulates their differences', async () => {
    const out = tempDir('recloop-notebook-compare-');
    const result = await executeNotebook(workspace, join(NOTEBOOKS, 'compare-runs.ipynb'), { RECLOOP_NOTEBOOK_OUT: out });
    expect(result.outputs.filter((o) => o.type === 'error')).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(['popularity-seed1', 'popularity-seed2', 'random-seed1', 'random-seed2']);
    expect(result.text).toMatch(/metric\s+popularity\s+random\s+difference/);
    expect(result.text).toMatch(/^catalog_coverage\s+0\.\d+\s+0\.9\d+/m); // random keeps showing the whole catalog
    expect(result.text).toMatch(/^day\s+popularity\s+random$/m);
  });

  it.concurrent('a failing cell fails the execution, with the kernel\'s error', async () => {
    // A type error against the project's API: what an API change would cause in a notebook.
    const broken = join(tempDir('recloop-notebook-broken-'), 'broken.ipynb');
    const notebook = JSON.parse(readFileSync(join(NOTEBOOKS, 'explore-run.ipynb'), 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
    const code = notebook.cells.filter((cell) => cell.cell_type === 'code');
    notebook.cells = [code[0], { ...code[0], source: ['const n: number = loadRun;\n'] }];
    writeFileSync(broken, JSON.stringify(notebook));
    await expect(executeNotebook(workspace, broken, { RECLOOP_RUN: runDir })).rejects.toThrow(/broken\.ipynb failed to execute:[\s\S]*loadRun/);
  });
});
