/**
 * How much of a batch's expected work its jobs have done, each epoch weighed by the slates the
 * traffic estimate expects in it (run/epoch-work.ts: a two-stage start-up's at a fraction), and
 * the time left: a comparison's or a sweep's, where counting epochs alike would weigh the cheap
 * start-up days like the busy last ones.
 *
 * The time left is a schedule, not a proportion: the batch's processes take the jobs in the order
 * given, each the next one as it frees, so when fewer jobs are left than processes the last ones
 * run alone and the end comes later than the share of work left would say. A job is taken to
 * work at the speed its group's jobs (a comparison's arm, a sweep's cell) have kept so far
 * (expected work done per millisecond a process was busy on them): arms differ in what a slate
 * costs (a Thompson arm draws from posteriors an ε-greedy arm does not). A group with nothing
 * done yet is taken at the speed of all jobs.
 */
export interface WorkShareOptions {
  readonly processes?: number;
  readonly groups?: ReadonlyMap<number, string>;
  readonly clock?: () => number;
}

export class WorkShare {
  /** Per job: the expected work of its first e epochs at [e]. */
  private readonly cumulative = new Map<number, Float64Array>();
  private readonly doneOf = new Map<number, number>();
  /** The jobs in the order the processes take them. */
  private readonly order: number[];
  private readonly finishedAt = new Map<number, number>();
  /** When each process freed, in order: the k-th frees the job `processes + k` takes. */
  private readonly frees: number[] = [];
  private readonly started: number;
  private readonly total: number;
  private readonly processes: number;
  /** Each job's group: jobs of one group are taken to work at one speed. */
  private readonly groupOf: ReadonlyMap<number, string>;
  private readonly clock: () => number;

  /**
   * `perEpoch`: each job's expected work per epoch, by job id, in the order the jobs start;
   * `processes`: how many run at once; `groups`: each job's group (all in one where left out);
   * `clock`: milliseconds (performance.now()).
   */
  constructor(perEpoch: ReadonlyMap<number, ArrayLike<number>>, options: WorkShareOptions = {}) {
    this.processes = options.processes ?? 1;
    this.groupOf = options.groups ?? new Map();
    this.clock = options.clock ?? (() => performance.now());
    let total = 0;
    for (const [job, work] of perEpoch) {
      const sums = new Float64Array(work.length + 1);
      for (let e = 0; e < work.length; e++) sums[e + 1] = sums[e] + work[e];
      this.cumulative.set(job, sums);
      total += sums[work.length];
    }
    this.order = [...perEpoch.keys()];
    this.total = total;
    this.started = this.clock();
  }

  /** Job `job` has finished its first `epochs` epochs. */
  epochsDone(job: number, epochs: number): void {
    if (this.cumulative.has(job)) this.doneOf.set(job, epochs);
  }

  /** Job `job` has ended: its process takes the next job. */
  jobDone(job: number): void {
    if (!this.cumulative.has(job) || this.finishedAt.has(job)) return;
    const now = this.clock();
    this.finishedAt.set(job, now);
    this.frees.push(now);
  }

  /** The share done, in [0, 1] (0 while nothing is expected). */
  get share(): number {
    let done = 0;
    for (const job of this.doneOf.keys()) done += this.workDone(job);
    return this.total > 0 ? Math.min(1, done / this.total) : 0;
  }

  /** Milliseconds left, or undefined until some work is done. */
  timeLeft(): number | undefined {
    const now = this.clock();
    const { order, processes } = this;
    const takenCount = Math.min(order.length, processes + this.frees.length);
    const startOf = (d: number): number => (d < processes ? this.started : this.frees[d - processes]);
    // Work done and process time spent, by group and in all.
    const groups = new Map<string, { done: number; busy: number }>();
    const all = { done: 0, busy: 0 };
    for (let d = 0; d < takenCount; d++) {
      const job = order[d];
      const group = this.groupOf.get(job) ?? '';
      const spent = groups.get(group) ?? { done: 0, busy: 0 };
      const done = this.workDone(job);
      const busy = (this.finishedAt.get(job) ?? now) - startOf(d);
      groups.set(group, { done: spent.done + done, busy: spent.busy + busy });
      all.done += done;
      all.busy += busy;
    }
    const speed = ({ done, busy }: { done: number; busy: number }): number => (done > 0 && busy > 0 ? done / busy : 0);
    const overall = speed(all);
    if (!(overall > 0)) return undefined;
    const timeFor = (job: number): number => {
      const group = groups.get(this.groupOf.get(job) ?? '');
      return this.workLeft(job) / ((group && speed(group)) || overall);
    };
    // When each process frees: after its job's work left; idle ones now.
    const free: number[] = [];
    for (let d = 0; d < takenCount; d++) if (!this.finishedAt.has(order[d])) free.push(now + timeFor(order[d]));
    while (free.length < processes) free.push(now);
    for (let d = takenCount; d < order.length; d++) {
      let first = 0;
      for (let p = 1; p < free.length; p++) if (free[p] < free[first]) first = p;
      free[first] += timeFor(order[d]);
    }
    return Math.max(...free) - now;
  }

  private workDone(job: number): number {
    const sums = this.cumulative.get(job) ?? new Float64Array(1);
    return sums[Math.min(this.doneOf.get(job) ?? 0, sums.length - 1)];
  }

  private workLeft(job: number): number {
    const sums = this.cumulative.get(job) ?? new Float64Array(1);
    return sums[sums.length - 1] - this.workDone(job);
  }
}

/**
 * The jobs in the order to start them: the most expected work first, equal work as given. The
 * last to end are then short ones, and no long run is left to end alone on one process while
 * the others idle (a sweep over world sizes holds cells many times each other's work).
 */
export function longestFirst<J extends { readonly id: number }>(jobs: readonly J[], perEpoch: ReadonlyMap<number, ArrayLike<number>>): J[] {
  const totals = new Map<number, number>();
  for (const job of jobs) {
    const work = perEpoch.get(job.id) ?? [];
    let total = 0;
    for (let e = 0; e < work.length; e++) total += work[e];
    totals.set(job.id, total);
  }
  // Array sort is stable: equal work keeps the order given.
  return [...jobs].sort((a, b) => (totals.get(b.id) ?? 0) - (totals.get(a.id) ?? 0));
}
