import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Stryker's sandboxes hold a copy of the tests: never collect them in a normal run.
    exclude: [...configDefaults.exclude, '.stryker-tmp/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
