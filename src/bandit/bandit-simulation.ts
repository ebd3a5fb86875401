/**
 * The bandit world's loop: every round the policy is offered every live arm (scored by its
 * posterior mean under a uniform prior, from the rewards observed so far, which is what greedy,
 * epsilon-greedy and Boltzmann act on), pulls one, and the arm pays a Bernoulli reward, which
 * reaches the policy `delay.rounds` rounds later as slate feedback (a reward is a click). Regret
 * is the pseudo-regret against the best live arm's mean. Same seed, same pulls: the world draws
 * from `world/...` streams and the policy from `recommender/...`, as in the population world.
 * The loop receives its parts (build.ts: `new BanditSimulation(buildBanditParts(scenario))`).
 */
import { orderByScore } from '../recommender/pipeline.js';
import type { Candidate, ExplorationPolicy, RecRequest, SlateFeedback } from '../recommender/types.js';
import type { Rng } from '../rng/index.js';
import type { BanditWorldConfig } from '../scenario/index.js';
import type { BanditArms } from './arms.js';
import type { BanditParts } from './build.js';
import { laiRobbinsBound, laiRobbinsConstant } from './lai-robbins.js';
import { BANDIT_METRICS } from '../metrics/bandit-regret.js';

/** One metrics row, written every `report_every` rounds. */
export interface BanditRow {
  readonly round: number;
  readonly cumulative_regret: number;
  readonly cumulative_reward: number;
  /** Mean regret per round over this row's rounds. */
  readonly regret_per_round: number;
  readonly reward_rate: number;
  /** Share of this row's rounds that pulled a best live arm. */
  readonly best_arm_share: number;
  readonly regret_over_log_round: number;
  /** Lai–Robbins bound at this round (stationary arms only). */
  readonly lai_robbins_bound?: number;
}

/** The row's columns are exactly the bandit metrics declared in the registry (this fails to compile otherwise). */
const DECLARED_COLUMNS: SameKeys<Exclude<keyof BanditRow, 'round'>, keyof typeof BANDIT_METRICS> = true;
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
void DECLARED_COLUMNS;

export interface BanditResult {
  readonly rows: readonly BanditRow[];
  readonly regret: number;
  readonly reward: number;
  /** Pulls and rewards per arm id. */
  readonly pulls: Float64Array;
  readonly rewards: Float64Array;
}

const ARM_SOURCE = 'arms';

export class BanditSimulation {
  readonly arms: BanditArms;
  readonly policy: ExplorationPolicy;
  readonly rounds: number;
  readonly reportEvery: number;
  /** Σ Δ/KL over the initial arms; the bound holds only for stationary arms. */
  readonly laiRobbinsConstant: number;
  readonly stationary: boolean;
  private readonly config: BanditWorldConfig;
  private readonly policyRng: Rng;
  private readonly rewardRng: Rng;

  constructor(parts: BanditParts) {
    const { config } = parts;
    this.config = config;
    this.arms = parts.arms;
    this.policy = parts.policy;
    this.policyRng = parts.policyRng;
    this.rewardRng = parts.rewardRng;
    this.rounds = config.rounds;
    this.reportEvery = config.report_every ?? Math.max(1, Math.floor(config.rounds / 100));
    this.stationary = config.replacement === undefined;
    this.laiRobbinsConstant = laiRobbinsConstant(this.arms.live.map((id) => this.arms.mean(id)));
  }

  /** Runs every round; `onRow` sees each metrics row as it is made. */
  run(onRow: (row: BanditRow) => void = () => {}): BanditResult {
    const { arms, policy, rounds } = this;
    const replacement = this.config.replacement;
    const delay = this.config.delay.rounds;
    const seen = new Counts();
    const pulls = new Counts();
    const pending: { due: number; feedback: SlateFeedback }[] = [];
    let next = 0; // first undelivered feedback in `pending`
    const rows: BanditRow[] = [];
    let regret = 0;
    let reward = 0;
    let chunk = { rounds: 0, regret: 0, reward: 0, best: 0 };

    for (let t = 0; t < rounds; t++) {
      if (replacement && t > 0 && t % replacement.every === 0) arms.replace(t);
      // Feedback is delivered in round order, `delay` rounds after its pull.
      while (next < pending.length && pending[next].due <= t) {
        const { feedback } = pending[next++];
        const arm = feedback.slate.entries[0].itemId;
        seen.add(arm, feedback.clicked === 0);
        policy.observe?.(feedback);
      }
      if (next > 1024 && next * 2 > pending.length) {
        pending.splice(0, next); // drop delivered feedback now and then, so the queue stays short
        next = 0;
      }

      const candidates: Candidate[] = arms.live.map((id) => ({ itemId: id, sources: [ARM_SOURCE], sourceScore: 0 }));
      const scores = Float64Array.from(candidates, (c) => (1 + seen.successes(c.itemId)) / (2 + seen.trials(c.itemId)));
      const request = roundRequest(t);
      const entries = policy.select(request, orderByScore(candidates, scores), 1, this.policyRng);
      if (entries.length !== 1) throw new Error(`policy ${policy.name} chose ${entries.length} arms in round ${t}; a bandit pulls exactly one`);
      const arm = entries[0].itemId;
      const mean = arms.mean(arm);
      const best = arms.bestMean();
      const paid = this.rewardRng.next() < mean;

      pulls.add(arm, paid);
      regret += best - mean;
      reward += paid ? 1 : 0;
      chunk = { rounds: chunk.rounds + 1, regret: chunk.regret + best - mean, reward: chunk.reward + (paid ? 1 : 0), best: chunk.best + (mean >= best ? 1 : 0) };
      const feedback: SlateFeedback = {
        request,
        slate: { slateId: t, entries },
        clicked: paid ? 0 : -1,
        watchMinutes: 0,
        watchFraction: 0,
        completed: false,
        liked: false,
        survey: null,
      };
      pending.push({ due: t + delay + 1, feedback });

      const done = t + 1;
      if (done % this.reportEvery === 0 || done === rounds) {
        const row: BanditRow = {
          round: done,
          cumulative_regret: regret,
          cumulative_reward: reward,
          regret_per_round: chunk.regret / chunk.rounds,
          reward_rate: chunk.reward / chunk.rounds,
          best_arm_share: chunk.best / chunk.rounds,
          regret_over_log_round: done > 1 ? regret / Math.log(done) : 0,
          ...(this.stationary ? { lai_robbins_bound: laiRobbinsBound(this.laiRobbinsConstant, done) } : {}),
        };
        rows.push(row);
        onRow(row);
        chunk = { rounds: 0, regret: 0, reward: 0, best: 0 };
      }
    }
    return { rows, regret, reward, pulls: pulls.trialsArray(arms.all.length), rewards: pulls.successesArray(arms.all.length) };
  }
}

/** A bandit round as a request: one user, one slate per round; `time` counts rounds. */
function roundRequest(round: number): RecRequest {
  return { slateId: round, userId: 0, time: round, hourOfDay: 0, device: 'desktop', requestInSession: round, pastSessions: 0 };
}

/** Trials and successes per arm id, grown on demand. */
class Counts {
  private trials_: number[] = [];
  private successes_: number[] = [];

  add(id: number, success: boolean): void {
    while (this.trials_.length <= id) {
      this.trials_.push(0);
      this.successes_.push(0);
    }
    this.trials_[id]++;
    if (success) this.successes_[id]++;
  }

  trials(id: number): number {
    return this.trials_[id] ?? 0;
  }

  successes(id: number): number {
    return this.successes_[id] ?? 0;
  }

  trialsArray(size: number): Float64Array {
    return Float64Array.from({ length: size }, (_, id) => this.trials(id));
  }

  successesArray(size: number): Float64Array {
    return Float64Array.from({ length: size }, (_, id) => this.successes(id));
  }
}
