/**
 * The classes a run's objects can be instances of, by name, for a restore that meets an object
 * the freshly built run does not have yet (a model made at the first retrain, say): every module
 * of the layers that hold a run's state is loaded and its exported classes are listed. A name two
 * classes share is listed as ambiguous; restoring an object of it then needs checkpointClass.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where a run's state lives (src/ or its compiled twin dist/). */
const STATE_LAYERS = ['core', 'rng', 'world', 'recommender', 'ml', 'training', 'metrics', 'simulation'];
/** Entry points of worker threads: loading one outside its thread would start it. */
const THREAD_ENTRY = /-thread\.[jt]s$/;

function modulesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modulesUnder(path);
    return /\.[jt]s$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !THREAD_ENTRY.test(entry.name) ? [path] : [];
  });
}

let index: Promise<Map<string, object | undefined>> | undefined;

/** Class name → prototype (undefined where two exported classes share the name). */
export function runClasses(): Promise<Map<string, object | undefined>> {
  index ??= (async () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const found = new Map<string, object | undefined>();
    for (const file of STATE_LAYERS.flatMap((layer) => modulesUnder(join(root, layer)))) {
      const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const value of Object.values(exports)) {
        if (typeof value !== 'function' || !/^class[\s{]/.test(Function.prototype.toString.call(value))) continue;
        const { name, prototype } = value as { name: string; prototype: object };
        found.set(name, found.has(name) && found.get(name) !== prototype ? undefined : prototype);
      }
    }
    return found;
  })();
  return index;
}
