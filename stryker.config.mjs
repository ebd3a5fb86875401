// @ts-check
/**
 * StrykerJS over one mutation group at a time (scripts/mutation-groups.mjs), chosen by the
 * RECLOOP_MUTATION_GROUP environment variable; `npm run mutation` sets it. Each group keeps its own
 * incremental file, committed, so a rerun (also in a fresh clone) only tests mutants whose code or
 * covering tests changed.
 */
import { existsSync } from 'node:fs';
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
  vitest: { configFile: 'vitest.config.ts', related: false },
  mutate: group.mutate,
  // Test files that do not exist yet (another branch adds them) are simply not run.
  testFiles: group.tests.filter((file) => existsSync(file)),
  coverageAnalysis: 'perTest',
  // The TypeScript checker would type-check every mutant (minutes per group on 2 cores); mutants that
  // do not compile are dropped by vitest's esbuild transform anyway or fail their tests as killed.
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
