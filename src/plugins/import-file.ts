/**
 * Imports a plug-in file. JavaScript is imported by Node itself; TypeScript through tsx's
 * import API, so a `.ts` plug-in loads under the plain `node dist/cli/main.js` that `recloop`
 * is. Each file is imported once per process: a metric family's declarations, or a class a
 * scenario names twice, stay one object.
 */
import { pathToFileURL } from 'node:url';

const TYPESCRIPT = /\.[mc]?tsx?$/;
/** The extensions a plug-in file may have. */
export const PLUGIN_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const;

const imported = new Map<string, Promise<unknown>>();

/** The module namespace of an absolute file path; rejects with the loader's error when it cannot be loaded. */
export function importFile(file: string): Promise<unknown> {
  let loading = imported.get(file);
  if (loading === undefined) {
    loading = load(file);
    imported.set(file, loading);
    // A failure is not remembered: the file may be fixed and loaded again in the same process.
    loading.catch(() => imported.delete(file));
  }
  return loading;
}

async function load(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  if (!TYPESCRIPT.test(file)) {
    const namespace: unknown = await import(url);
    return namespace;
  }
  const tsImport = await typescriptLoader();
  const namespace: unknown = await tsImport(url, import.meta.url);
  return namespace;
}

async function typescriptLoader(): Promise<(specifier: string, parent: string) => Promise<unknown>> {
  try {
    const api = await import('tsx/esm/api');
    return api.tsImport;
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`a TypeScript plug-in needs the tsx package (npm install tsx), or compile it to JavaScript first (${why})`);
  }
}
