/**
 * Writing the generated scenario: checked with the same parser `recloop run` uses before it
 * touches the disk, and never over an existing file unless asked (--force).
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseScenario, ScenarioError, type Scenario } from '../scenario/index.js';

/** The file exists and --force was not given. */
export class ScenarioFileExistsError extends Error {
  override readonly name = 'ScenarioFileExistsError';
  constructor(
    readonly file: string,
    message = `${file} already exists; pass --force to replace it or --out to write elsewhere`,
  ) {
    super(message);
  }
}

export async function writeScenarioFile(file: string, text: string, force: boolean): Promise<Scenario> {
  const scenario = validateGenerated(text, file);
  await mkdir(dirname(file), { recursive: true });
  try {
    // 'wx' fails if the file exists, with no window between a check and the write.
    await writeFile(file, text, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    // --force replaces a file, never a folder.
    const folder = (code === 'EEXIST' || code === 'EISDIR') && (await stat(file)).isDirectory();
    if (folder) throw new ScenarioFileExistsError(file, `${file} is a folder; --out names the scenario file to write, e.g. --out ${join(file, 'scenario.yaml')}`);
    if (code === 'EEXIST') throw new ScenarioFileExistsError(file);
    throw error;
  }
  return scenario;
}

/** A generated file that does not validate is a bug in init, not the user's mistake: say so loudly. */
function validateGenerated(text: string, file: string): Scenario {
  try {
    return parseScenario(text, file);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    throw new Error(`recloop init generated a scenario that does not validate (a bug in recloop):\n${error.message}`);
  }
}
