/**
 * The study's result folder: results.json (every seed's runs and the summary), table.txt and
 * study.resolved.yaml (the settings with every default filled in). Written into a staging folder
 * and moved into place only when complete (run/output-dir.ts), so a failed run leaves an earlier
 * result folder as it was.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { StagedOutput } from '../../run/output-dir.js';
import type { ChaneyConfig } from './config.js';
import type { StudyResult } from './study.js';
import { formatStudyTable } from './table.js';

export const STUDY_FILES = { results: 'results.json', table: 'table.txt', config: 'study.resolved.yaml' } as const;

export async function writeStudy(outDir: string, force: boolean, config: ChaneyConfig, produce: () => StudyResult): Promise<{ dir: string; result: StudyResult }> {
  const output = await StagedOutput.create(outDir, force, 'classic');
  try {
    const result = produce();
    await writeFile(join(output.dir, STUDY_FILES.config), `# recloop classic study "${config.name}", fully resolved\n${stringify(config)}`);
    await writeFile(join(output.dir, STUDY_FILES.results), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(join(output.dir, STUDY_FILES.table), formatStudyTable(result));
    await output.commit();
    return { dir: output.finalDir, result };
  } catch (error) {
    await output.discard();
    throw error;
  }
}
