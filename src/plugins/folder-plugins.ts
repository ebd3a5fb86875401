/**
 * Loads the plug-ins named in a result folder's scenario.resolved.yaml (run, compare and OPE
 * folders all hold one), so that a report written later, in another process, knows a plug-in
 * metric's declaration as the run did. Their paths there are absolute.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnyScenario, ScenarioError } from '../scenario/index.js';
import { resolvePlugins } from './resolve.js';

/** Loads them; returns why it could not (the report then shows their columns undeclared), or undefined. */
export async function loadFolderPlugins(dir: string): Promise<string | undefined> {
  const file = join(dir, 'scenario.resolved.yaml');
  if (!existsSync(file)) return undefined;
  try {
    await loadAnyScenario(file, [], { resolve: resolvePlugins });
    return undefined;
  } catch (error) {
    if (error instanceof ScenarioError) return error.message;
    throw error;
  }
}
