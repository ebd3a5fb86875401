/**
 * User-split experiments inside one world: users are assigned to arms by a seeded hash with the
 * arms' traffic shares; each request goes to its user's arm; each arm retrains on its own
 * traffic or on the pooled log; metrics are kept per arm.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { armChunk } from '../src/experiment/arm-log.js';
import { UserAssignment } from '../src/experiment/assignment.js';
import { runJob } from '../src/experiment/job.js';
import { ArmRouter } from '../src/experiment/router.js';
import type { Recommender, RecRequest, Slate, SlateFeedback } from '../src/recommender/types.js';
import { parseScenario, toResolvedYaml } from '../src/scenario/index.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';
import { tempDir } from './support/scenarios.js';

const WORLD = `name: split
seed: 5
horizon: { days: 3 }
schedule: { kind: continuous, batch_window: 1m }
world:
  topics: 8
  users: { count: 600, signups_per_day: 40 }
  items: { count: 300, uploads_per_day: 30, creators: 30 }
recommender:
  kind: popularity
  slate_size: 5
  exclude_seen: false
`;

async function query<T>(sql: string): Promise<T[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjects() as T[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('user assignment', () => {
  it('holds the traffic shares within a few standard errors, and is a fixed function of seed and user', () => {
    const users = 40_000;
    for (const shares of [[0.95, 0.05], [0.5, 0.3, 0.2]]) {
      const names = shares.map((_, i) => `arm${i}`);
      const assignment = new UserAssignment(7, names, shares);
      const counts = shares.map(() => 0);
      for (let u = 0; u < users; u++) counts[assignment.armIndex(u)]++;
      shares.forEach((share, arm) => {
        const sd = Math.sqrt(users * share * (1 - share));
        expect(Math.abs(counts[arm] - users * share)).toBeLessThan(4 * sd);
      });
      const again = new UserAssignment(7, names, shares);
      expect(Array.from({ length: 500 }, (_, u) => again.armName(u))).toEqual(Array.from({ length: 500 }, (_, u) => assignment.armName(u)));
    }
    const a = new UserAssignment(1, ['x', 'y'], [0.5, 0.5]);
    const b = new UserAssignment(2, ['x', 'y'], [0.5, 0.5]);
    let same = 0;
    for (let u = 0; u < 4000; u++) if (a.armIndex(u) === b.armIndex(u)) same++;
    expect(same / 4000).toBeGreaterThan(0.45);
    expect(same / 4000).toBeLessThan(0.55);
  });
});

describe('arm router', () => {
  /** Records what it is asked; serves one fixed item so slates can be told apart. */
  function recorder(item: number): Recommender & { served: number[]; seen: number[]; logArms: string[][] } {
    const served: number[] = [];
    const seen: number[] = [];
    const logArms: string[][] = [];
    return {
      name: `r${item}`,
      served,
      seen,
      logArms,
      serve: (requests: readonly RecRequest[]): Slate[] =>
        requests.map((r) => {
          served.push(r.userId);
          return { slateId: r.slateId, entries: [{ itemId: item, source: `r${item}`, propensity: 1 }] };
        }),
      observe: (feedback: SlateFeedback) => void seen.push(feedback.request.userId),
      retrain: (log: TrainingLog) => void logArms.push(log.chunks.flatMap((c) => Array.from({ length: c.impressions.length }, (_, i) => c.impressions.armOf(i)))),
    };
  }

  it('serves each request from its user’s arm in request order, and trains own or pooled', async () => {
    const assignment = new UserAssignment(3, ['own', 'pooled'], [0.5, 0.5]);
    const own = recorder(1);
    const pooled = recorder(2);
    const router = new ArmRouter(
      [
        { name: 'own', recommender: own, pooled: false, windowDays: 7, slateSize: 1 },
        { name: 'pooled', recommender: pooled, pooled: true, windowDays: 7, slateSize: 1 },
      ],
      assignment,
    );
    const requests: RecRequest[] = Array.from({ length: 40 }, (_, u) => ({ slateId: 100 + u, userId: u, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 }) as RecRequest);
    const slates = router.serve(requests);
    expect(slates.map((s) => s.slateId)).toEqual(requests.map((r) => r.slateId));
    expect(slates.map((s) => s.entries[0].itemId)).toEqual(requests.map((r) => (assignment.armName(r.userId) === 'own' ? 1 : 2)));
    expect(own.served.length).toBeGreaterThan(5);
    expect(pooled.served.length).toBeGreaterThan(5);

    for (const [r, request] of requests.entries()) {
      router.observe({ request, slate: slates[r], clicked: -1, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null });
    }
    expect(own.seen).toEqual(own.served);
    expect(pooled.seen).toEqual(requests.map((r) => r.userId));

    const impressions = new ImpressionBuffer();
    requests.forEach((r) => {
      const arm = assignment.armName(r.userId);
      impressions.append({ time: 0.5, epoch: 0, slateId: r.slateId, userId: r.userId, itemId: arm === 'own' ? 1 : 2, position: 0, arm, source: 'x', propensity: 1, clicked: false, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null });
    });
    const log = new TrainingLog(7);
    log.add({ epoch: 0, start: 0, end: 1, impressions });
    await router.retrain(log, 1);
    expect(own.logArms[0].length).toBe(own.served.length);
    expect(new Set(own.logArms[0])).toEqual(new Set(['own']));
    expect(pooled.logArms[0]).toHaveLength(requests.length);
    expect(armChunk({ epoch: 0, start: 0, end: 1, impressions }, 'nobody').impressions.length).toBe(0);
  });
});

describe('user split in one world', () => {
  it('keeps each user on one arm, shows them only that arm’s slates and measures every arm on its own users', async () => {
    const scenario = parseScenario(`${WORLD}experiment:\n  design: user_split\n  control: pop\n  arms: { pop: {}, rnd: { kind: random, traffic: 0.3 } }\n`, 'split.yaml');
    const dir = tempDir('recloop-split-');
    const result = await runJob({ id: 0, scenarioYaml: toResolvedYaml(scenario), seed: scenario.seed, logDir: dir });
    const assignment = new UserAssignment(scenario.seed, ['pop', 'rnd'], [0.7, 0.3]);

    const rows = await query<{ user_id: number; arms: number; arm: string; sources: string }>(
      `SELECT user_id, count(DISTINCT arm)::INTEGER AS arms, min(arm) AS arm, string_agg(DISTINCT source, ',') AS sources
       FROM read_parquet('${join(dir, 'impressions', '*.parquet')}') GROUP BY user_id ORDER BY user_id`,
    );
    expect(rows.length).toBeGreaterThan(300);
    for (const row of rows) {
      expect(row.arms).toBe(1);
      expect(row.arm).toBe(assignment.armName(row.user_id));
      expect(row.sources).toBe(row.arm === 'pop' ? 'popularity' : 'random');
    }
    const share = rows.filter((row) => row.arm === 'rnd').length / rows.length;
    expect(share).toBeGreaterThan(0.22);
    expect(share).toBeLessThan(0.38);

    const { pop, rnd } = result.arms;
    const world = result.world ?? [];
    expect(world).toHaveLength(3);
    world.forEach((row, epoch) => {
      for (const key of ['slates', 'impressions', 'clicks', 'sessions', 'signups', 'active_users']) expect(pop[epoch][key] + rnd[epoch][key]).toBe(row[key]);
      for (const key of ['new_items', 'day_end']) expect(pop[epoch][key]).toBe(row[key]);
      expect(pop[epoch].user_share + rnd[epoch].user_share).toBeCloseTo(1, 12);
      expect(rnd[epoch].user_share).toBeCloseTo(0.3, 1);
    });
    expect(rnd[2].catalog_coverage).toBeGreaterThan(pop[2].catalog_coverage);
    // Each arm is measured with the instruments of a single run, device slices included.
    for (const arm of [pop, rnd]) expect(Object.keys(arm[0]).filter((k) => k !== 'user_share')).toEqual(Object.keys(world[0]));
    expect(Object.keys(pop[0])).toContain('ctr_slice_device_tv');
  });

  it('lets arms leak into each other with pooled training: two popularity arms then show the same slates', async () => {
    const distinctSlates = async (pooled: boolean): Promise<Map<string, Set<string>>> => {
      const scenario = parseScenario(
        `${WORLD}experiment:\n  design: user_split\n  control: a\n  arms: { a: {}, b: {} }\n  pooled_training: ${pooled}\n`,
        'leak.yaml',
      );
      const dir = tempDir('recloop-leak-');
      await runJob({ id: 0, scenarioYaml: toResolvedYaml(scenario), seed: scenario.seed, logDir: dir });
      const rows = await query<{ arm: string; items: string }>(
        `SELECT arm, string_agg(item_id::VARCHAR, ',' ORDER BY position) AS items
         FROM read_parquet('${join(dir, 'impressions', 'epoch-00002.parquet')}') GROUP BY arm, slate_id`,
      );
      const byArm = new Map<string, Set<string>>();
      for (const row of rows) byArm.set(row.arm, (byArm.get(row.arm) ?? new Set()).add(row.items));
      return byArm;
    };
    const own = await distinctSlates(false);
    expect(own.get('a')?.size).toBe(1);
    expect(own.get('b')?.size).toBe(1);
    expect(own.get('a')).not.toEqual(own.get('b'));
    const pooled = await distinctSlates(true);
    expect(pooled.get('a')?.size).toBe(1);
    expect(pooled.get('b')).toEqual(pooled.get('a'));
  });
});
