/**
 * A random start-up period in front of any recommender: until `until`, slates are uniformly
 * random (with their exact propensities); the wrapped recommender retrains on that log from the
 * first retrain on and serves every request after it.
 */
import type { TrainingLog } from '../training/training-log.js';
import type { Recommender, RecommenderDiagnostics, RecRequest, ServingTally, Slate, SlateFeedback } from './types.js';

export class RandomStartup implements Recommender {
  readonly name: string;

  constructor(
    private readonly inner: Recommender,
    private readonly random: Recommender,
    private readonly until: number,
  ) {
    this.name = inner.name;
    if (inner.observe) this.observe = (feedback) => inner.observe?.(feedback);
    this.tally = inner.tally;
  }

  readonly tally?: ServingTally;

  serve(requests: readonly RecRequest[]): Slate[] {
    // A batch shares one serving time, but mixed batches are handled for safety.
    if (requests.every((r) => r.time >= this.until)) return this.inner.serve(requests);
    if (requests.every((r) => r.time < this.until)) return this.random.serve(requests);
    const early = requests.filter((r) => r.time < this.until);
    const late = requests.filter((r) => r.time >= this.until);
    const bySlate = new Map<number, Slate>();
    for (const slate of [...this.random.serve(early), ...this.inner.serve(late)]) bySlate.set(slate.slateId, slate);
    return requests.map((r) => bySlate.get(r.slateId) as Slate);
  }

  /** Passed on to the wrapped recommender; absent when it takes no feedback. */
  readonly observe?: (feedback: SlateFeedback) => void;

  retrain(log: TrainingLog, now: number): void | Promise<void> {
    return this.inner.retrain(log, now);
  }

  diagnostics(): RecommenderDiagnostics {
    return this.inner.diagnostics?.() ?? { metrics: {}, timings: {} };
  }
}
