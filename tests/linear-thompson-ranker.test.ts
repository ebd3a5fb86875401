/**
 * Linear Thompson sampling on the ranker's last shared layer, in the real two-stage pipeline on
 * a small world (popularity, content and fresh candidates; a one-layer DCN-V2 ranker).
 *
 * Learning: `linear_ts_auc` is the AUC of the posterior mean's prediction of each shown item's
 * click, made before the posterior learns from that impression (progressive validation, so every
 * impression is held out when predicted). Mean over days 1–3 (every day after the ranker's first
 * training), at the time of writing, ranker features vs topic features: seed 1 0.551 vs 0.542,
 * seed 2 0.559 vs 0.526, seed 3 0.548 vs 0.551, seed 4 0.564 vs 0.524, seed 5 0.564 vs 0.544
 * (means 0.557 vs 0.537; one day's AUC has a standard error of about 0.012, so a single seed can
 * go either way). The test (seed 1) asks for a mean above 0.53 on ranker features, and at least
 * the topic features' mean.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../src/scenario/index.js';
import { Simulation } from '../src/simulation/simulation.js';

function scenario(features: string, days: number, startup: string) {
  return parseScenario(
    `
name: linear-ts-ranker
seed: 1
horizon: { days: ${days} }
schedule: { kind: continuous, batch_window: 10m }
world:
  topics: 8
  users: { count: 300, signups_per_day: 10 }
  items: { count: 300, uploads_per_day: 20, creators: 30 }
recommender:
  kind: two_stage
  slate_size: 5
  random_startup: ${startup}
  candidates:
    - { source: popularity, k: 30 }
    - { source: content, k: 30 }
    - { source: fresh, k: 5 }
  ranker: { hidden: [16], epochs: 2 }
  exploration: { policy: linear_thompson, ${features} mc_draws: 30 }
logs: { impressions: false }
`,
    'linear-ts-ranker.yaml',
  );
}

/** Each epoch's metrics and its slates (item ids and propensities, in serving order). */
async function run(features: string, days: number, startup: string): Promise<{ metrics: Record<string, number>[]; slates: string }> {
  const metrics: Record<string, number>[] = [];
  const slates: string[] = [];
  await new Simulation(scenario(features, days, startup)).run(({ metrics: m, impressions }) => {
    metrics.push({ ...m });
    for (let i = 0; i < impressions.length; i++) {
      const r = impressions.row(i);
      slates.push(`${r.slateId}:${r.itemId}:${r.propensity}`);
    }
  });
  return { metrics, slates: slates.join(',') };
}

const meanOver = (rows: Record<string, number>[], key: string, epochs: number[]) => epochs.reduce((s, e) => s + rows[e][key], 0) / epochs.length;

describe("linear Thompson sampling on the ranker's layer", () => {
  it('predicts held-out clicks better than chance, and at least as well as the topic features', async () => {
    const ranker = await run('features: ranker,', 4, '1d');
    const topics = await run('features: topics,', 4, '1d');
    const later = [1, 2, 3];
    const onRanker = meanOver(ranker.metrics, 'linear_ts_auc', later);
    const onTopics = meanOver(topics.metrics, 'linear_ts_auc', later);
    console.log(`linear_ts_auc, days 1-3: ranker features ${onRanker.toFixed(3)}, topic features ${onTopics.toFixed(3)}`);
    expect(onRanker).toBeGreaterThan(0.53);
    expect(onRanker).toBeGreaterThanOrEqual(onTopics);
    // Served on the ranker's layer once it has trained; rebuilt at every retrain from its held-out rows.
    for (const e of later) {
      expect(ranker.metrics[e].linear_ts_ranker_share).toBe(1);
      expect(ranker.metrics[e].linear_ts_rebuild_rows).toBeGreaterThan(300);
      expect(topics.metrics[e].linear_ts_ranker_share).toBe(0);
      expect(topics.metrics[e].linear_ts_rebuild_rows).toBe(0);
    }
  }, 60_000);

  it('falls back to topic features until the ranker first trains; the same seed serves the same slates', async () => {
    const first = await run('', 2, '0d');
    const second = await run('', 2, '0d');
    // Day 0 is served before any retrain: topic features. Day 1 on the ranker's layer (the default for two_stage).
    expect(first.metrics.map((m) => m.linear_ts_ranker_share)).toEqual([0, 1]);
    expect(first.metrics[0].linear_ts_auc).toBeGreaterThan(0);
    expect(first.slates.length).toBeGreaterThan(1000);
    expect(second.slates).toBe(first.slates);
    expect(second.metrics).toEqual(first.metrics);
  }, 60_000);
});
