/**
 * Executing the repository's notebooks headless, the way CI does: the package is compiled
 * (from src/index.ts) into a scratch copy of the repository layout, the tslab kernel is
 * registered in a scratch Jupyter folder, and `jupyter nbconvert --execute` runs each notebook.
 * Nothing is written to the working tree, dist/ or the user's Jupyter folders.
 */
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin');

export const JUPYTER_MISSING =
  'jupyter nbconvert and ipykernel are needed to execute the notebooks; install them as .ci/run does: ' +
  'DEBIAN_FRONTEND=noninteractive apt-get install -y jupyter-nbconvert python3-ipykernel';

/** Throws JUPYTER_MISSING unless `jupyter nbconvert` runs. */
export function requireJupyter(): void {
  const probe = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) throw new Error(`${JUPYTER_MISSING}\n(${probe.error?.message ?? probe.stderr.trim()})`);
}

export interface NotebookWorkspace {
  /** Scratch root holding dist/, notebooks/, package.json and a link to node_modules. */
  readonly root: string;
  /** Environment for nbconvert: the scratch kernel registry and node_modules/.bin on PATH. */
  readonly env: NodeJS.ProcessEnv;
}

/** Builds the package and registers the tslab kernel under `scratch`. */
export async function prepareWorkspace(scratch: string): Promise<NotebookWorkspace> {
  const root = join(scratch, 'repo');
  mkdirSync(join(root, 'notebooks'), { recursive: true });
  // The layout the notebooks expect: ../dist/index.js from notebooks/, packages from node_modules.
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: { rootDir: join(ROOT, 'src'), outDir: join(root, 'dist'), sourceMap: false, typeRoots: [join(ROOT, 'node_modules', '@types')] },
      include: [],
      files: [join(ROOT, 'src', 'index.ts')],
    }),
  );
  const jupyter = join(scratch, 'jupyter');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${BIN}:${process.env.PATH ?? ''}`,
    JUPYTER_PATH: join(jupyter, 'share', 'jupyter'),
    JUPYTER_DATA_DIR: join(jupyter, 'data'),
    JUPYTER_CONFIG_DIR: join(jupyter, 'config'),
    JUPYTER_RUNTIME_DIR: join(jupyter, 'runtime'),
  };
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  await Promise.all([
    // Type errors are `tsc --noEmit`'s to report (npm test runs it first); tsc still emits
    // JavaScript and declarations then, and the notebooks only need those to exist.
    run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(scratch, 'tsconfig.json')], { cwd: ROOT }).catch(
      (error: unknown) => {
        if (!existsSync(join(root, 'dist', 'index.js')) || !existsSync(join(root, 'dist', 'index.d.ts'))) {
          throw new Error(`compiling src/index.ts for the notebooks failed:\n${outputOf(error)}`);
        }
      },
    ),
    // tslab's own installer, into the scratch prefix (JUPYTER_PATH above points there).
    run(join(BIN, 'tslab'), ['install', `--python=${python}`, `--binary=${join(BIN, 'tslab')}`, `--prefix=${jupyter}`], { env }),
  ]);
  return { root, env };
}

export interface ExecutedNotebook {
  /** Text of every stream, result and error output, in cell order. */
  readonly text: string;
  readonly errors: readonly string[];
}

/**
 * Copies `notebook` into the workspace and executes it; throws with nbconvert's report (the
 * failing cell and its error) if any cell fails.
 */
export async function executeNotebook(workspace: NotebookWorkspace, notebook: string, env: NodeJS.ProcessEnv = {}): Promise<ExecutedNotebook> {
  const name = notebook.split('/').pop() ?? notebook;
  const copy = join(workspace.root, 'notebooks', name);
  copyFileSync(notebook, copy);
  const outDir = join(workspace.root, 'executed');
  try {
    await run('jupyter', ['nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=120', '--output-dir', outDir, copy], {
      env: { ...workspace.env, ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(`${name} failed to execute:\n${outputOf(error)}`);
  }
  return readOutputs(join(outDir, name));
}

function readOutputs(file: string): ExecutedNotebook {
  const doc: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const texts: string[] = [];
  const errors: string[] = [];
  for (const cell of field(doc, 'cells')) {
    for (const output of field(cell, 'outputs')) {
      if (prop(output, 'output_type') === 'error') errors.push(`${String(prop(output, 'ename'))}: ${String(prop(output, 'evalue'))}`);
      texts.push(joinText(prop(output, 'text')), joinText(prop(prop(output, 'data'), 'text/plain')));
    }
  }
  return { text: texts.join(''), errors };
}

function prop(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;
}

function field(value: unknown, key: string): unknown[] {
  const found = prop(value, key);
  return Array.isArray(found) ? found : [];
}

function joinText(value: unknown): string {
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').join('') : '';
}

function outputOf(error: unknown): string {
  const stdout = prop(error, 'stdout');
  const stderr = prop(error, 'stderr');
  const text = [stdout, stderr].filter((s): s is string => typeof s === 'string' && s.trim() !== '').join('\n');
  return text !== '' ? text : error instanceof Error ? error.message : String(error);
}
