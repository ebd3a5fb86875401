/**
 * The recommender of one OPE run, in one of two roles over the same scenario and seed:
 * - logging: the logging policy serves throughout; from the switch on, each logged request
 *   also gets a slate drawn from the target (never shown), whose expected clicks under the
 *   world's choice model measure the target's value on exactly the logged contexts (and, slot
 *   by slot inside the logged slate, the value item-position estimators converge to);
 * - twin: the logging policy serves until the switch, then the target serves (online).
 * Both fit the target at the switch from the same log window, so before the switch the two
 * runs are identical and afterwards they differ only by the policy. This wrapper lives on the
 * harness side: it may read the world's truth (for probes), which no recommender may.
 */
import type { Rng } from '../rng/index.js';
import type { Recommender, RecommenderDiagnostics, RecRequest, Slate, SlateFeedback } from '../recommender/types.js';
import type { TrainingLog } from '../training/training-log.js';
import type { PublicCatalog } from '../world/public.js';
import type { World } from '../world/world.js';
import type { BuiltPolicy } from './policy-factory.js';
import { contextOf, servePolicy } from './policy-recommender.js';
import { expectedClicks, slotwiseClicks } from './world-truth.js';

export interface OpeArmOptions {
  readonly role: 'logging' | 'twin';
  /** Start of the evaluation window: an epoch boundary. */
  readonly switchTime: number;
  /** Catalog sizes are recorded for slates served from here on. */
  readonly recordFrom: number;
  readonly logging: Recommender;
  /** Builds the target from the log window at the switch. */
  readonly target: (log: TrainingLog, now: number) => BuiltPolicy;
  readonly catalog: PublicCatalog;
  readonly slateSize: number;
  /** Draws the target's slates. */
  readonly rng: Rng;
  /** Ground-truth probes (expected clicks); omitted when the reward is not a click. */
  readonly truth?: {
    readonly world: World;
    /** When the slate for a request made at `t` is shown (satiation is read as of then). */
    readonly shownAt: (t: number) => number;
  };
}

export interface ProbeTotals {
  slates: number;
  expectedClicks: number;
  /** Logging role only: see slotwiseClicks. */
  slotwiseClicks: number;
}

export class OpeArm implements Recommender {
  readonly name: string;
  /** Catalog size when each recorded slate was served, by slate id. */
  readonly catalogSizes = new Map<number, number>();
  /** Logging role: the target's expected clicks on the logged contexts; twin role: on the slates it served. */
  readonly probe: ProbeTotals = { slates: 0, expectedClicks: 0, slotwiseClicks: 0 };
  private built: BuiltPolicy | undefined;

  constructor(private readonly options: OpeArmOptions) {
    this.name = options.logging.name;
  }

  /** The target, once fitted at the switch. */
  get target(): BuiltPolicy | undefined {
    return this.built;
  }

  private get targetServes(): boolean {
    return this.options.role === 'twin' && this.built !== undefined;
  }

  serve(requests: readonly RecRequest[]): Slate[] {
    const { catalog, slateSize, rng } = this.options;
    const n = catalog.size;
    for (const r of requests) if (r.time >= this.options.recordFrom) this.catalogSizes.set(r.slateId, n);
    if (!this.built) return this.options.logging.serve(requests);
    const target = this.built.policy;
    if (this.targetServes) {
      const slates = requests.map((r) => servePolicy(target, contextOf(r, n, slateSize), rng));
      slates.forEach((slate, k) => this.measure(requests[k], slate.entries.map((e) => e.itemId)));
      return slates;
    }
    const slates = this.options.logging.serve(requests);
    requests.forEach((r, k) => this.measure(r, target.sample(contextOf(r, n, slateSize), rng), slates[k]));
    return slates;
  }

  /** Adds the truth about one target slate; with the logged slate beside it, also its slot-by-slot value. */
  private measure(request: RecRequest, items: readonly number[], logged?: Slate): void {
    const truth = this.options.truth;
    if (!truth) return;
    const { world } = truth;
    const time = truth.shownAt(request.time);
    this.probe.slates += 1;
    this.probe.expectedClicks += expectedClicks(world, request.userId, items, time);
    if (logged) {
      const shown = logged.entries.map((e) => e.itemId);
      this.probe.slotwiseClicks += slotwiseClicks(world, request.userId, shown, items, time);
    }
  }

  observe(feedback: SlateFeedback): void {
    if (!this.targetServes) this.options.logging.observe?.(feedback);
  }

  async retrain(log: TrainingLog, now: number): Promise<void> {
    if (this.targetServes) return;
    await this.options.logging.retrain(log, now);
    // The switch is an epoch end: fit the target on the log as it stands there.
    if (!this.built && now >= this.options.switchTime - 1e-9) this.built = this.options.target(log, now);
  }

  diagnostics(): RecommenderDiagnostics {
    return this.options.logging.diagnostics?.() ?? { metrics: {}, timings: {} };
  }
}
