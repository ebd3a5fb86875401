/**
 * Linear Thompson sampling on the ranker's last shared layer, in the real two-stage pipeline on
 * a small world (popularity, content and fresh candidates; a one-layer DCN-V2 ranker).
 *
 * Learning: `linear_ts_auc` is the AUC of the posterior mean's prediction of each shown item's
 * click, made before the posterior learns from that impression (progressive validation, so every
 * impression is held out when predicted), averaged over days 1–3 (every day after the ranker's
 * first training). The test asks, over three seeds, that it beat chance (0.5) by a one-sided
 * t-test at 5% on the seeds' own spread, and exceed 0.52 on each seed.
 *
 * Not asserted: that the ranker's layer beats the topic features. Measured over seeds 1–5
 * (commit e1653d4) the ranker's mean led by 0.020 with a seed-to-seed sd of 0.018 and was behind
 * on seed 3 (the world's previous random draws had moved the topic features' mean by 0.02): a
 * five-seed paired t-test would pass by a hair (t 2.5 against 2.1) at the cost of ten runs, so
 * that comparison is not a claim a test can hold honestly at this size.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../src/scenario/index.js';
import { buildParts } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';

const SEEDS = [1, 2, 3];
/** One-sided 95% quantile of Student's t with SEEDS.length − 1 = 2 degrees of freedom. */
const T_95 = 2.92;

function scenario(features: string, days: number, startup: string, seed: number) {
  return parseScenario(
    `
name: linear-ts-ranker
seed: ${seed}
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
async function run(features: string, days: number, startup: string, seed = 1): Promise<{ metrics: Record<string, number>[]; slates: string }> {
  const metrics: Record<string, number>[] = [];
  const slates: string[] = [];
  await new Simulation(buildParts(scenario(features, days, startup, seed))).run(({ metrics: m, impressions }) => {
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
  it('predicts held-out clicks better than chance on the ranker’s layer, over seeds', async () => {
    const later = [1, 2, 3];
    const aucs: number[] = [];
    for (const seed of SEEDS) {
      const ranker = await run('features: ranker,', 4, '1d', seed);
      aucs.push(meanOver(ranker.metrics, 'linear_ts_auc', later));
      // Served on the ranker's layer once it has trained; rebuilt at every retrain from its held-out rows.
      for (const e of later) {
        expect(ranker.metrics[e].linear_ts_ranker_share).toBe(1);
        expect(ranker.metrics[e].linear_ts_rebuild_rows).toBeGreaterThan(300);
      }
    }
    const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
    const sd = Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / (aucs.length - 1));
    const margin = (T_95 * sd) / Math.sqrt(aucs.length);
    console.log(`linear_ts_auc on ranker features, days 1-3, seeds ${SEEDS.join(', ')}: ${aucs.map((a) => a.toFixed(3)).join(' ')} (mean ${mean.toFixed(3)}, margin ${margin.toFixed(3)})`);
    expect(mean - 0.5).toBeGreaterThan(margin);
    for (const a of aucs) expect(a).toBeGreaterThan(0.52);
  }, 120_000);

  it('with topic features, serves and rebuilds on topics even after the ranker trains', async () => {
    const topics = await run('features: topics,', 2, '1d');
    expect(topics.metrics[1].linear_ts_ranker_share).toBe(0);
    expect(topics.metrics[1].linear_ts_rebuild_rows).toBe(0);
    expect(topics.metrics[1].linear_ts_auc).toBeGreaterThan(0);
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
