/**
 * How much of a batch's expected work its jobs have done, each epoch weighed by the slates the
 * traffic estimate expects in it (run/traffic-estimate.ts): a comparison's or a sweep's time left,
 * where counting epochs alike would weigh the cheap start-up days like the busy last ones.
 */
export class WorkShare {
  /** Per job: the expected work of its first e epochs at [e]. */
  private readonly cumulative = new Map<number, Float64Array>();
  private readonly doneOf = new Map<number, number>();
  private readonly total: number;
  private done = 0;

  /** `perEpoch`: each job's expected work per epoch, by job id. */
  constructor(perEpoch: ReadonlyMap<number, ArrayLike<number>>) {
    let total = 0;
    for (const [job, work] of perEpoch) {
      const sums = new Float64Array(work.length + 1);
      for (let e = 0; e < work.length; e++) sums[e + 1] = sums[e] + work[e];
      this.cumulative.set(job, sums);
      total += sums[work.length];
    }
    this.total = total;
  }

  /** Job `job` has finished its first `epochs` epochs. */
  epochsDone(job: number, epochs: number): void {
    const sums = this.cumulative.get(job);
    if (sums === undefined) return;
    const at = (e: number): number => sums[Math.min(e, sums.length - 1)];
    this.done += at(epochs) - at(this.doneOf.get(job) ?? 0);
    this.doneOf.set(job, epochs);
  }

  /** The share done, in [0, 1] (0 while nothing is expected). */
  get share(): number {
    return this.total > 0 ? Math.min(1, this.done / this.total) : 0;
  }
}
