/**
 * Reads a study file. The scenario loader's world is the population simulator's, which cannot
 * hold this one, so this is a small loader of its own; it reuses the scenario layer's pieces so
 * its errors read the same: `file:line:column: key.path: what was expected, found what`.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, isMap, parseDocument } from 'yaml';
import { describeValue } from '../../scenario/describe.js';
import { describeIssues, markDefaults } from '../../scenario/issues.js';
import { formatPath } from '../../scenario/paths.js';
import { ScenarioError, type ScenarioProblem } from '../../scenario/problems.js';
import { ScenarioSource } from '../../scenario/source.js';
import { chaneySchema, type ChaneyConfig } from './config.js';

/** Reads and validates a study file; throws ScenarioError naming the file, the field and what was expected. */
export async function loadChaneyStudy(file: string): Promise<ChaneyConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScenarioError([{ file, path: '', message: code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? String(error)})` }]);
  }
  return parseChaneyStudy(text, file);
}

/** Validates study YAML text (`file` names it in messages); the result has every default filled in. */
export function parseChaneyStudy(text: string, file: string): ChaneyConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const source = new ScenarioSource(doc, lineCounter);
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((error) => ({ file, ...source.offsetPosition(error.pos[0]), path: '', message: `invalid YAML: ${error.message.split('\n')[0]}` })),
    );
  }
  if (!isMap(doc.contents)) {
    const found = doc.contents === null ? 'an empty file' : describeValue(doc.toJS());
    throw new ScenarioError([{ file, line: 1, column: 1, path: '', message: `expected a mapping with name, study: chaney2018, world, recommenders and training, found ${found}` }]);
  }
  const input: unknown = doc.toJS({ maxAliasCount: 100 });
  const result = chaneySchema.safeParse(input, { error: markDefaults });
  if (result.success) return result.data;
  const problems = describeIssues(result.error.issues, input, chaneySchema).map((issue): ScenarioProblem => {
    const location = source.locate(issue.path, issue.target);
    const path = formatPath(issue.path);
    if (location?.kind === 'file') return { file, line: location.position.line, column: location.position.column, path, message: issue.message };
    return { file, path, message: issue.message };
  });
  throw new ScenarioError(problems);
}

/** The config with `count` seeds instead of the file's (the command's --seeds). */
export function withSeedCount(config: ChaneyConfig, count: number | undefined): ChaneyConfig {
  return count === undefined ? config : { ...config, seeds: { ...config.seeds, count } };
}
