import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { withHugePages } from './src/core/huge-pages.js';

// The test workers simulate as `recloop` does, so they start with its huge pages (glibc reads
// the tunable when a process starts: set here, before Vitest forks them). Small worlds' runs
// allocate training rows afresh at every retrain; a page fault each 4 KiB cost them ~10%.
process.env.GLIBC_TUNABLES = withHugePages(process.env).GLIBC_TUNABLES;

/**
 * The suite's longest files (minutes each, the rest seconds). Run first, they end about when the
 * other workers have worked through everything else; left to the default order (larger files
 * first, when no earlier run's durations are cached, as on a fresh clone) one could start last
 * and run alone.
 */
const LONGEST_FIRST = ['scenario-short-vs-long-term-months', 'readme-commands', 'scenario-short-vs-long-term', 'scenario-filter-bubble', 'parallel-serving', 'scenario-cold-start'];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification): number => {
      const at = LONGEST_FIRST.findIndex((name) => file.moduleId.endsWith(`/${name}.test.ts`));
      return at < 0 ? LONGEST_FIRST.length : at;
    };
    // Array sort is stable: the rest keep the default order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Stryker's sandboxes hold a copy of the tests: never collect them in a normal run.
    exclude: [...configDefaults.exclude, '.stryker-tmp/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A worker per core (Vitest's default leaves one core to itself, which on a two-core machine
    // ran every file one after another); its own process costs little.
    maxWorkers: '100%',
    sequence: { sequencer: LongestFirst },
  },
});
