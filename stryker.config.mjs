// @ts-check
/**
 * StrykerJS over one mutation group at a time (scripts/mutation-groups.mjs), chosen by the
 * RECLOOP_MUTATION_GROUP environment variable; `npm run mutation` sets it. Each group keeps its own
 * incremental file, committed, so a rerun (also in a fresh clone) only tests mutants whose code or
 * covering tests changed.
 */
import { GROUPS } from './scripts/mutation-groups.mjs';

const name = process.env.RECLOOP_MUTATION_GROUP;
const group = name === undefined ? undefined : GROUPS[name];
if (group === undefined) {
  throw new Error(`set RECLOOP_MUTATION_GROUP to one of: ${Object.keys(GROUPS).join(', ')} (or use npm run mutation)`);
}
const out = `reports/mutation/${name}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // The group's test files are chosen in vitest.mutation.config.ts, from the same variable.
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: group.mutate,
  coverageAnalysis: 'perTest',
  // No TypeScript checker: it type-checks every mutant, minutes more per group on 2 cores. Without
  // it a mutant that would not compile still runs as JavaScript and is judged by the tests.
  checkers: [],
  concurrency: 1,
  timeoutMS: 10_000,
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${out}/index.html` },
  jsonReporter: { fileName: `${out}/report.json` },
  clearTextReporter: { allowEmojis: false, logTests: false },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
