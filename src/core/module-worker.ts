/**
 * A worker thread running a module that sits next to the caller's: compiled, its .js file; run
 * from the TypeScript sources (vitest, tsx), the thread first registers tsx's loader so it can
 * import the .ts file.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Starts `name` (no extension), found beside the module at `from` (its import.meta.url). */
export function moduleWorker(from: string, name: string, options: WorkerOptions = {}): Worker {
  if (!from.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, from), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL(`./${name}.ts`, from).href;
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
