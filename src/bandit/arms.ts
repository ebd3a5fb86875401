/**
 * The arms of a bandit world: Bernoulli arms with fixed means, some of them live at any round.
 * Means are given, drawn from Beta(a, b), or made by a hidden logistic model of public arm
 * features (mean = sigmoid(scale · x·w)); arm replacement retires live arms and adds new ones
 * from the same distribution. Arm ids are dense and never reused, like item ids.
 */
import type { Rng } from '../rng/index.js';
import type { BanditWorldConfig } from '../scenario/index.js';
import type { MeanDistribution } from '../scenario/bandit-schema.js';

export interface Arm {
  readonly id: number;
  readonly mean: number;
  /** Round the arm arrived in (0 for the initial arms). */
  readonly born: number;
  /** Round the arm retired in, if it did. */
  retired?: number;
  /** Public features (logistic means only). */
  readonly features?: Float64Array;
}

export class BanditArms {
  readonly all: Arm[] = [];
  /** Live arm ids, oldest first. */
  private liveIds: number[] = [];
  private readonly hiddenWeight: Float64Array | undefined;
  private readonly initialMeans: MeanDistribution | undefined;

  constructor(
    private readonly config: BanditWorldConfig,
    /** Draws arm means and features. */
    private readonly armRng: Rng,
    /** Draws which arms retire. */
    private readonly retireRng: Rng,
  ) {
    const { arms } = config;
    this.initialMeans = Array.isArray(arms) ? undefined : arms.means;
    if (this.initialMeans !== undefined && 'logistic' in this.initialMeans) {
      const w = Float64Array.from({ length: this.initialMeans.logistic.dim }, () => armRng.normal());
      const norm = Math.hypot(...w);
      this.hiddenWeight = w.map((v) => v / norm);
    }
    if (Array.isArray(arms)) for (const mean of arms) this.add({ mean, born: 0 });
    else for (let i = 0; i < arms.count; i++) this.add(this.draw(arms.means, 0));
  }

  get live(): readonly number[] {
    return this.liveIds;
  }

  get featureDim(): number | undefined {
    return this.hiddenWeight?.length;
  }

  mean(id: number): number {
    return this.all[id].mean;
  }

  /** The best mean among the live arms. */
  bestMean(): number {
    let best = -Infinity;
    for (const id of this.liveIds) best = Math.max(best, this.all[id].mean);
    return best;
  }

  /** Retires `count` live arms (at random or the oldest) and adds as many new ones, at `round`. */
  replace(round: number): void {
    const replacement = this.config.replacement;
    if (!replacement) return;
    for (let r = 0; r < replacement.count; r++) {
      const k = replacement.retire === 'oldest' ? 0 : this.retireRng.int(this.liveIds.length);
      this.all[this.liveIds[k]].retired = round;
      this.liveIds.splice(k, 1);
    }
    // Logistic arms keep their hidden model; otherwise the replacement's own distribution, else the arms', else uniform.
    const means: MeanDistribution = (this.hiddenWeight ? this.initialMeans : (replacement.means ?? this.initialMeans)) ?? { beta: [1, 1] };
    for (let r = 0; r < replacement.count; r++) this.add(this.draw(means, round));
  }

  private draw(means: MeanDistribution, born: number): { mean: number; born: number; features?: Float64Array } {
    if ('beta' in means) return { mean: this.armRng.beta(means.beta[0], means.beta[1]), born };
    const w = this.hiddenWeight as Float64Array;
    const sd = 1 / Math.sqrt(w.length);
    const features = Float64Array.from(w, () => this.armRng.normal(0, sd));
    let dot = 0;
    for (let i = 0; i < w.length; i++) dot += features[i] * w[i];
    return { mean: 1 / (1 + Math.exp(-means.logistic.scale * dot)), born, features };
  }

  private add(arm: { mean: number; born: number; features?: Float64Array }): void {
    const id = this.all.length;
    this.all.push({ id, ...arm });
    this.liveIds.push(id);
  }
}
