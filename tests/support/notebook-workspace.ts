/**
 * A scratch copy of the repository layout for executing the notebooks: the package compiled
 * (from src/index.ts) into dist/, a notebooks/ folder and a link to node_modules, so a notebook's
 * `../dist/index.js` import resolves as it does in a checkout after `npm run build`. Nothing is
 * written to the working tree or dist/.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { runNotebook, type ExecutedNotebook } from './notebook-runner.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');

export interface NotebookWorkspace {
  /** Scratch root holding dist/, notebooks/, package.json and a link to node_modules. */
  readonly root: string;
}

/** Compiles the package into a scratch repository layout under `scratch`. */
export async function prepareWorkspace(scratch: string): Promise<NotebookWorkspace> {
  const root = join(scratch, 'repo');
  mkdirSync(join(root, 'notebooks'), { recursive: true });
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
  // Type errors are `tsc --noEmit`'s to report (npm test runs it first); tsc still emits
  // JavaScript and declarations then, and the notebooks only need those to exist.
  await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(scratch, 'tsconfig.json')], { cwd: ROOT }).catch(
    (error: unknown) => {
      if (!existsSync(join(root, 'dist', 'index.js')) || !existsSync(join(root, 'dist', 'index.d.ts'))) {
        throw new Error(`compiling src/index.ts for the notebooks failed:\n${error instanceof Error ? error.message : String(error)}`);
      }
    },
  );
  return { root };
}

/** Copies `notebook` into the workspace's notebooks/ and executes it there with the tslab kernel. */
export function executeNotebook(workspace: NotebookWorkspace, notebook: string, env: NodeJS.ProcessEnv = {}): Promise<ExecutedNotebook> {
  const copy = join(workspace.root, 'notebooks', basename(notebook));
  copyFileSync(notebook, copy);
  return runNotebook(copy, { env });
}
