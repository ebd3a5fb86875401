/**
 * Vitest for mutation runs: only the test files of the group in RECLOOP_MUTATION_GROUP (see
 * scripts/mutation-groups.mjs). Selecting them here, not with Stryker's `testFiles`, matters:
 * with `testFiles` StrykerJS 9.6 activates static mutants after their module has loaded, so
 * they all survive (stryker-js#6144).
 */
import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { GROUPS } from './scripts/mutation-groups.mjs';
import base from './vitest.config.js';

const name = process.env.RECLOOP_MUTATION_GROUP ?? '';
const group = (GROUPS as Record<string, { tests: string[] } | undefined>)[name];
if (group === undefined) throw new Error(`RECLOOP_MUTATION_GROUP must name a mutation group, got "${name}"`);

// Replaces (not merges) the include list; test files another branch has not added yet are skipped.
export default defineConfig({ ...base, test: { ...base.test, include: group.tests.filter((file) => existsSync(file)) } });
