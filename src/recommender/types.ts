/**
 * The recommender side's interfaces. A recommender serves batches of requests with slates and
 * retrains on the impression log; internally it is composed of narrow stages (candidate
 * sources, a ranker, a re-ranker, an exploration policy). Everything here is built from
 * what a real system logs: the recommender never receives world ground truth.
 */
import type { Device, PublicCatalog, PublicUsers } from '../world/public.js';
import type { RandomStreams, Rng } from '../rng/index.js';
import type { TrainingLog } from '../training/training-log.js';

export interface RecRequest {
  /** Unique per run; also the id of the slate served for it. */
  readonly slateId: number;
  readonly userId: number;
  readonly time: number;
  readonly hourOfDay: number;
  readonly device: Device;
  /** 0 for the first request of a session. */
  readonly requestInSession: number;
  /** Sessions this user had before this one (0 for a brand-new user). */
  readonly pastSessions: number;
}

export interface SlateEntry {
  readonly itemId: number;
  /** Candidate source(s) that produced the item, joined by "+". */
  readonly source: string;
  /** Marginal probability that the policy would put this item in this slot (1 when deterministic). */
  readonly propensity: number;
}

export interface Slate {
  readonly slateId: number;
  /** Position is the index; position 0 is the top of the slate. */
  readonly entries: readonly SlateEntry[];
}

/** What every recommender is given when it is built: public views and its own random streams. */
export interface RecommenderContext {
  readonly catalog: PublicCatalog;
  readonly users: PublicUsers;
  readonly slateSize: number;
  /** Streams under the recommender's path; each component takes its own by name. */
  readonly streams: RandomStreams;
}

/** What the system logs about one served slate, streamed as it happens (the same facts as the impression log). */
export interface SlateFeedback {
  readonly request: RecRequest;
  readonly slate: Slate;
  /** Clicked position, or -1. */
  readonly clicked: number;
  readonly watchMinutes: number;
  readonly watchFraction: number;
  readonly completed: boolean;
  readonly liked: boolean;
  readonly survey: number | null;
}

/**
 * Figures a recommender reports after each retrain. `metrics` must be deterministic (same seed,
 * same values) and keep the same keys every epoch; `timings` hold wall-clock figures (latency,
 * training time), which are kept apart because they differ from run to run.
 */
export interface RecommenderDiagnostics {
  readonly metrics: Readonly<Record<string, number>>;
  readonly timings: Readonly<Record<string, number>>;
  /** JSON documents for the run folder, by file name (e.g. calibration.json); each epoch's replaces the last. */
  readonly files?: Readonly<Record<string, unknown>>;
}

/**
 * Counts a recommender adds up over the requests it serves in an epoch (e.g. how many candidates
 * a cascade kept), for figures it reports after the retrain. A run split by users (src/parallel)
 * takes each thread's counts at the epoch's end and gives every thread the run's sums in their
 * place, so the figures are those of one thread serving everyone.
 */
export interface ServingTally {
  /** This thread's counts since its last figures. */
  take(): Float64Array;
  /** Puts the run's counts (every thread's, summed) in place of this thread's. */
  replace(total: Float64Array): void;
}

export interface Recommender {
  readonly name: string;
  /** Counts summed over the threads of a run split by users; absent when the recommender keeps none. */
  readonly tally?: ServingTally;
  /** Serves every request of one batch window in one call; slates come back in request order. */
  serve(requests: readonly RecRequest[]): Slate[];
  /** Real-time feedback on each served slate, in serving order (e.g. to keep watch histories fresh). */
  observe?(feedback: SlateFeedback): void;
  /** Called at the end of every retrain period with the log window. */
  retrain(log: TrainingLog, now: number): void | Promise<void>;
  /** Read once per epoch, after retrain. */
  diagnostics?(): RecommenderDiagnostics;
}

// ---- stages a pipeline is composed of ----

export interface Candidate {
  readonly itemId: number;
  /** Names of the sources that produced this candidate. */
  readonly sources: readonly string[];
  /** The producing source's own score (e.g. popularity count); ranking may ignore it. */
  readonly sourceScore: number;
}

/** Stage one: proposes up to k candidates per request, for a whole batch at once. */
export interface CandidateSource {
  readonly name: string;
  generate(requests: readonly RecRequest[]): (readonly Candidate[])[];
  observe?(feedback: SlateFeedback): void;
  retrain?(log: TrainingLog, now: number): void | Promise<void>;
  diagnostics?(): RecommenderDiagnostics;
}

/** Nearest-neighbour search over item vectors, used by embedding-based candidate sources. */
export interface Retriever {
  readonly exact: boolean;
  /** For each query, up to k item ids with their inner-product scores, best first. */
  search(queries: readonly Float32Array[], k: number): { ids: Int32Array; scores: Float32Array }[];
  /** The exact top k in the index's own arithmetic (every list probed), where it can give it for less than a new exact scan (ann-recall.ts). */
  searchExactly?(queries: readonly Float32Array[], k: number): { ids: Int32Array; scores: Float32Array }[];
}

/** Stage two: scores each request's candidates (higher is better), for a whole batch at once. */
export interface Ranker {
  readonly name: string;
  readonly tally?: ServingTally;
  score(requests: readonly RecRequest[], candidates: readonly (readonly Candidate[])[]): Float64Array[];
  observe?(feedback: SlateFeedback): void;
  retrain?(log: TrainingLog, now: number): void | Promise<void>;
  diagnostics?(): RecommenderDiagnostics;
}

export interface ScoredCandidate extends Candidate {
  readonly score: number;
}

/** Reorders a request's scored candidates (diversity, caps, boosts); returns them best first. */
export interface ReRanker {
  readonly name: string;
  rerank(request: RecRequest, ranked: readonly ScoredCandidate[], slateSize: number): ScoredCandidate[];
  /** The hard limit every slate must keep, whatever the policy does with the order (absent: none). */
  readonly cap?: CreatorCap;
}

/**
 * A hard limit on a slate: at most `cap` items of one creator. The exploration policy fills its
 * slots under it and computes its logged propensities under it (docs/EXPLORATION.md).
 */
export interface CreatorCap {
  readonly cap: number;
  creatorOf(itemId: number): number;
  /** Items of the creator in the catalog now; for policies that draw from the whole catalog. */
  catalogItems(creatorId: number): number;
}

/**
 * Chooses the final slate from the ordered candidates and states each slot's propensity: the
 * marginal probability that the policy would have put that item in that slot, for this request,
 * candidates and policy state (exact, or a stated Monte-Carlo estimate; see docs/EXPLORATION.md).
 */
export interface ExplorationPolicy {
  readonly name: string;
  /** `cap`: the re-ranker's creator cap, which the slate and its propensities must respect. */
  select(request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng, cap?: CreatorCap): SlateEntry[];
  /**
   * Every slot's distribution over items for the slate `select` would draw now (exact, or the
   * same kind of Monte-Carlo estimate its propensities use, from `rng`): what off-policy
   * evaluation needs to evaluate this policy as a target. Absent: the policy cannot be a target.
   */
  slotMarginals?(request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng, cap?: CreatorCap): SlotDistribution[];
  /** Streamed feedback on each served slate, for policies that learn (Thompson sampling, UCB). */
  observe?(feedback: SlateFeedback): void;
  /** Called at every retrain with the log window, for policies that rebuild their estimates from the log. */
  retrain?(log: TrainingLog, now: number): void | Promise<void>;
  /** Figures of the epoch just ended, read after retrain (as a recommender's). */
  diagnostics?(): RecommenderDiagnostics;
}

/**
 * A policy's marginal distribution over items at one slot. Item `items[k]` gets `probs[k]`; on
 * top, `restMass` is spread evenly over the catalog items NOT in `restExcludes` (a listed item
 * that is not excluded receives its share too). This covers uniform exploration without listing
 * the whole catalog, and lets off-policy evaluation's direct method average a reward model over
 * it in O(slate).
 */
export interface SlotDistribution {
  readonly items: readonly number[];
  readonly probs: readonly number[];
  readonly restMass: number;
  readonly restExcludes: readonly number[];
}
