/**
 * New-user routing and seen-item exclusion, as one CandidateSource the pipeline is given in
 * place of its sources. A request from a user with fewer than `popularityUntilSessions` past
 * sessions gets candidates from the new-user source (popularity) only; every other request
 * gets all configured sources, merged and deduplicated as the pipeline would (every producing
 * source's name is kept). Batching survives routing: each wrapped source is called once per
 * batch, with exactly the subset of requests it serves.
 *
 * Why a wrapper and not a pipeline option: routing is a candidate-generation decision, and as
 * a source it composes with any ranker, re-ranker and policy without the pipeline knowing.
 */
import { mergeCandidates, mergeDiagnostics } from '../pipeline.js';
import type { TrainingLog } from '../../training/training-log.js';
import type { Candidate, CandidateSource, RecommenderDiagnostics, RecRequest, SlateFeedback } from '../types.js';
import type { SeenItems } from './seen-items.js';

export interface NewUserRouterOptions {
  /** Users with fewer past sessions than this get only the new-user source; 0 routes nobody. */
  readonly popularityUntilSessions: number;
  /** When given, items the user already clicked are dropped from every request's candidates (exclude_seen). */
  readonly seen?: SeenItems;
}

export class NewUserRouter implements CandidateSource {
  readonly name = 'new-user-router';
  /** Each wrapped source once, configured sources first, so merges keep the configured order. */
  private readonly distinct: readonly CandidateSource[];

  constructor(
    /** Every configured source, used for established users (it may include `newUserSource`). */
    private readonly sources: readonly CandidateSource[],
    /** What new users get (the popularity source). */
    private readonly newUserSource: CandidateSource,
    private readonly options: NewUserRouterOptions,
  ) {
    if (sources.length === 0) throw new Error('new-user router: needs at least one source for established users');
    const until = options.popularityUntilSessions;
    if (!Number.isInteger(until) || until < 0) {
      throw new RangeError(`new-user router: popularityUntilSessions must be a whole number of 0 or more, got ${until}`);
    }
    this.distinct = [...new Set([...sources, newUserSource])];
  }

  isNew(request: RecRequest): boolean {
    return request.pastSessions < this.options.popularityUntilSessions;
  }

  generate(requests: readonly RecRequest[]): (readonly Candidate[])[] {
    const lists: (readonly Candidate[])[][] = requests.map(() => []);
    for (const source of this.distinct) {
      const served: number[] = [];
      for (let r = 0; r < requests.length; r++) if (this.serves(source, requests[r])) served.push(r);
      if (served.length === 0) continue;
      const generated = source.generate(served.map((r) => requests[r]));
      served.forEach((r, j) => lists[r].push(generated[j]));
    }
    const { seen } = this.options;
    return requests.map((request, r) => {
      const merged = mergeCandidates(lists[r]);
      return seen ? seen.filter(request.userId, merged) : merged;
    });
  }

  observe(feedback: SlateFeedback): void {
    for (const source of this.distinct) source.observe?.(feedback);
    this.options.seen?.observe(feedback);
  }

  async retrain(log: TrainingLog, now: number): Promise<void> {
    for (const source of this.distinct) await source.retrain?.(log, now);
    this.options.seen?.forgetBefore(now - log.windowDays);
  }

  diagnostics(): RecommenderDiagnostics {
    return mergeDiagnostics(this.distinct.map((source) => source.diagnostics?.()));
  }

  private serves(source: CandidateSource, request: RecRequest): boolean {
    return this.isNew(request) ? source === this.newUserSource : this.sources.includes(source);
  }
}
