/** Small scenarios for tests: a few hundred users and items over a few days, built from YAML like a user's file. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, type Scenario } from '../../src/scenario/index.js';

export const SMALL_SCENARIO = `
name: small
seed: 3
horizon: { days: 4 }
schedule: { kind: continuous, batch_window: 1m }
world:
  topics: 8
  users: { count: 300, signups_per_day: 20 }
  items: { count: 400, uploads_per_day: 40, creators: 40 }
recommender:
  kind: popularity
  slate_size: 5
  random_startup: 1d
`;

export function smallScenario(overrides: readonly string[] = []): Scenario {
  return parseScenario(SMALL_SCENARIO, 'small.yaml', overrides);
}

export function tempDir(prefix = 'recloop-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
