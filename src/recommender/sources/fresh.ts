/**
 * Fresh candidates: items uploaded within `maxAge` of the request time, newest first. Needs no
 * log and no profile, so it shows every new upload to someone (the cold-start lever that does
 * not depend on a user's history).
 *
 * The catalog is kept as a list sorted by upload time, grown incrementally: new ids are
 * appended (uploads arrive in time order after day 0) or, if ever out of order, inserted by
 * binary search. The initial catalog, uploaded before day 0 in no particular id order, is
 * sorted once. A request costs O(log n + k).
 */
import { positiveCount, positiveDuration } from '../../settings/fields.js';
import type { PublicCatalog } from '../../world/public.js';
import type { Candidate, CandidateSource, RecRequest } from '../types.js';
import { candidateSource } from './component.js';

export interface FreshSourceOptions {
  readonly k: number;
  /** Oldest upload age (days) still counted as fresh; inclusive. */
  readonly maxAge: number;
}

export class FreshSource implements CandidateSource {
  readonly name = 'fresh';
  /** Shared by every candidate this source makes (candidates never modify it). */
  private readonly sourceNames: readonly string[] = [this.name];
  /** Every indexed item id, by (upload time, id) ascending. */
  private readonly byUpload: number[] = [];
  /** Upload times aligned with `byUpload`, for the binary searches. */
  private readonly times: number[] = [];

  constructor(
    private readonly catalog: PublicCatalog,
    private readonly options: FreshSourceOptions,
  ) {
    if (!Number.isInteger(options.k) || options.k < 1) throw new RangeError(`fresh source: k must be a whole number of 1 or more, got ${options.k}`);
    if (!(options.maxAge > 0)) throw new RangeError(`fresh source: maxAge must be a positive number of days, got ${options.maxAge}`);
  }

  generate(requests: readonly RecRequest[]): Candidate[][] {
    this.sync();
    return requests.map((request) => this.at(request.time));
  }

  retrain(): void {
    this.sync();
  }

  /** Items uploaded in [time - maxAge, time], newest first; score is minus the age in days. */
  private at(time: number): Candidate[] {
    const out: Candidate[] = [];
    const oldest = time - this.options.maxAge;
    // Items uploaded after the request time (only possible when replaying) are skipped.
    for (let i = upperBound(this.times, time) - 1; i >= 0 && out.length < this.options.k; i--) {
      if (this.times[i] < oldest) break;
      out.push({ itemId: this.byUpload[i], sources: this.sourceNames, sourceScore: this.times[i] - time });
    }
    return out;
  }

  private sync(): void {
    const size = this.catalog.size;
    const first = this.byUpload.length;
    if (size === first) return;
    const added: number[] = [];
    for (let id = first; id < size; id++) added.push(id);
    added.sort((a, b) => this.catalog.get(a).uploadTime - this.catalog.get(b).uploadTime || a - b);
    for (const id of added) this.insert(id, this.catalog.get(id).uploadTime);
  }

  private insert(id: number, time: number): void {
    const n = this.times.length;
    // Fast path: in time order (ids grow, so equal times keep id order too).
    if (n === 0 || this.times[n - 1] <= time) {
      this.byUpload.push(id);
      this.times.push(time);
      return;
    }
    const at = upperBound(this.times, time);
    this.byUpload.splice(at, 0, id);
    this.times.splice(at, 0, time);
  }
}

/** First index whose value is greater than `value` (sorted ascending). */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const FRESH_SOURCE = candidateSource({
  name: 'fresh',
  settings: { k: positiveCount.default(20), max_age: positiveDuration.prefault(2) },
  build: (config, ctx) => new FreshSource(ctx.recommender.catalog, { k: config.k, maxAge: config.max_age }),
});
