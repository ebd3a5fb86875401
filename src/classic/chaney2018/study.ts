/**
 * The whole study: for each seed one world, on it every recommender under every training mode,
 * and each measured against the ideal (oracle) recommender of the same seed and mode: the change
 * in paired Jaccard index (recommender − ideal; above 0 is more homogeneous than ideal) and the
 * utility as a fraction of the ideal's. Intervals are over seeds (Student t, 95%).
 */
import { meanInterval, type Interval } from '../../experiment/stats.js';
import type { ChaneyConfig, RecommenderName, TrainingMode } from './config.js';
import { mostSimilarPartners, socialNetwork } from './similar-users.js';
import { simulateRun } from './simulate.js';
import { drawWorld } from './world.js';

/** One recommender under one mode on one seed. */
export interface SeedResult {
  readonly seed: number;
  readonly recommender: RecommenderName;
  readonly training: TrainingMode;
  /** Paired Jaccard index after the last step. */
  readonly jaccard: number;
  /** jaccard − the ideal's, same seed and mode. */
  readonly jaccard_change: number;
  /** Mean true utility per consumption after the start-up. */
  readonly utility: number;
  /** utility / the ideal's, same seed and mode. */
  readonly utility_ratio: number;
}

export interface SummaryRow {
  readonly recommender: RecommenderName;
  readonly training: TrainingMode;
  readonly jaccard: Interval;
  readonly jaccard_change: Interval;
  readonly utility_ratio: Interval;
  /** Mean over seeds of the Jaccard change after each step (the paper's curves). */
  readonly jaccard_change_by_step: readonly number[];
}

export interface StudyResult {
  readonly study: 'chaney2018';
  readonly name: string;
  readonly seeds: readonly number[];
  readonly runs: readonly SeedResult[];
  readonly summary: readonly SummaryRow[];
}

export interface StudyProgress {
  (done: number, total: number, what: string): void;
}

export function seedList(config: ChaneyConfig): number[] {
  return Array.from({ length: config.seeds.count }, (_, j) => config.seeds.first + j);
}

export function runStudy(config: ChaneyConfig, onProgress?: StudyProgress): StudyResult {
  const seeds = seedList(config);
  const runs: SeedResult[] = [];
  const series = new Map<string, number[][]>();
  const total = seeds.length * config.training.length * config.recommenders.length;
  let done = 0;
  for (const seed of seeds) {
    const world = drawWorld(config.world, seed);
    const partners = mostSimilarPartners(world);
    const friends = socialNetwork(world, config.settings.social.friends);
    for (const training of config.training) {
      const run = (recommender: RecommenderName) => {
        const outcome = simulateRun({ config, world, seed, partners, friends, recommender, mode: training });
        onProgress?.(++done, total, `seed ${seed}, ${recommender}, ${training} training`);
        return outcome;
      };
      // The ideal first: every other recommender is measured against it.
      const ideal = run('ideal');
      const idealJaccard = ideal.jaccardByStep[ideal.jaccardByStep.length - 1];
      for (const recommender of config.recommenders) {
        const outcome = recommender === 'ideal' ? ideal : run(recommender);
        const jaccard = outcome.jaccardByStep[outcome.jaccardByStep.length - 1];
        runs.push({
          seed,
          recommender,
          training,
          jaccard,
          jaccard_change: jaccard - idealJaccard,
          utility: outcome.utility,
          utility_ratio: outcome.utility / ideal.utility,
        });
        const key = `${recommender}/${training}`;
        const list = series.get(key) ?? [];
        list.push(outcome.jaccardByStep.map((j, step) => j - ideal.jaccardByStep[step]));
        series.set(key, list);
      }
    }
  }
  const summary: SummaryRow[] = [];
  for (const recommender of config.recommenders) {
    for (const training of config.training) {
      const mine = runs.filter((r) => r.recommender === recommender && r.training === training);
      const curves = series.get(`${recommender}/${training}`) ?? [];
      summary.push({
        recommender,
        training,
        jaccard: meanInterval(mine.map((r) => r.jaccard)),
        jaccard_change: meanInterval(mine.map((r) => r.jaccard_change)),
        utility_ratio: meanInterval(mine.map((r) => r.utility_ratio)),
        jaccard_change_by_step: curves[0].map((_, step) => curves.reduce((s, c) => s + c[step], 0) / curves.length),
      });
    }
  }
  return { study: 'chaney2018', name: config.name, seeds, runs, summary };
}
