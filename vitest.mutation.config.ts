/**
 * Vitest for mutation runs: only the test files of the group in RECLOOP_MUTATION_GROUP (see
 * scripts/mutation-groups.mjs). Selecting them here, not with Stryker's `testFiles`, matters:
 * with `testFiles` StrykerJS 9.6 activates static mutants after their module has loaded, so
 * they all survive (stryker-js#6144).
 */
import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { GROUPS } from './scripts/mutation-groups.mjs';
import base from './vitest.config.js';

const name = process.env.RECLOOP_MUTATION_GROUP ?? '';
const group = (GROUPS as Record<string, { tests: string[] } | undefined>)[name];
if (group === undefined) throw new Error(`RECLOOP_MUTATION_GROUP must name a mutation group, got "${name}"`);

// Test files another branch has not added yet are skipped.
const files = group.tests.filter((file) => existsSync(file));

/**
 * Runs the group's files in the order listed, cheapest first. Stryker stops a mutant's run at the
 * first failing test, so a mutant a millisecond mechanics test kills never waits for a slow file;
 * vitest's own order runs the longest file first.
 */
class ListedOrder extends BaseSequencer {
  override async sort(specs: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => files.findIndex((file) => spec.moduleId.endsWith(file));
    return [...specs].sort((a, b) => rank(a) - rank(b));
  }
}

// Replaces (not merges) the include list.
export default defineConfig({ ...base, test: { ...base.test, include: files, sequence: { sequencer: ListedOrder } } });
