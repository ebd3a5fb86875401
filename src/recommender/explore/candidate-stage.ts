/**
 * Exploration at the candidate stage: a candidate source named `explore` adds exploratory items
 * before ranking, and the slate policy after ranking is greedy. Explore candidates carry the
 * largest source score, so a pipeline without a ranker (the popularity baseline, or a ranker not
 * yet trained) shows them at the top of the slate, while a ranker scores them like any other.
 *
 * Propensity: an item that only the explore source produced was in the candidate set with its
 * inclusion probability π (exact for epsilon-greedy, Monte-Carlo for Thompson sampling), and the
 * slate policy then placed it deterministically, so the logged propensity is π × the slate
 * policy's own propensity (1 for greedy). Items some other source also produced would have been
 * candidates anyway (π = 1). This is the marginal P(item at slot) (docs/EXPLORATION.md) only
 * when an item's slot does not depend on which explore candidates came in; explore candidates
 * ranked above other items push them down a slot, so these logs are approximate for slot-wise OPE.
 */
import type { KeyedStream, Rng } from '../../rng/index.js';
import type { TrainingLog } from '../../training/training-log.js';
import type { Candidate, CandidateSource, CreatorCap, ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry, SlateFeedback } from '../types.js';
import type { Exploration } from './component.js';
import { EXPLORE_SOURCE } from './entries.js';
import { GreedyPolicy } from './greedy.js';
import { requestDraws } from '../request-draws.js';

/** A candidate source of exploratory items that knows each item's chance of having been added. */
export interface ExploreSource extends CandidateSource {
  /** Probability that `itemId` was among this source's candidates for `request`. */
  inclusion(request: RecRequest, itemId: number): number;
}

/** Scales the slate policy's propensity of explore-only items by their inclusion probability. */
export class CandidateStagePolicy implements ExplorationPolicy {
  readonly name: string;

  constructor(
    private readonly slatePolicy: ExplorationPolicy,
    private readonly source: ExploreSource,
    policyName: string,
  ) {
    this.name = `${policyName}@candidate`;
  }

  select(request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng, cap?: CreatorCap): SlateEntry[] {
    return this.slatePolicy
      .select(request, ordered, slateSize, rng, cap)
      .map((e) => (e.source === EXPLORE_SOURCE ? { ...e, propensity: e.propensity * this.source.inclusion(request, e.itemId) } : e));
  }

  observe(feedback: SlateFeedback): void {
    this.slatePolicy.observe?.(feedback);
  }

  retrain(log: TrainingLog, now: number): void | Promise<void> {
    return this.slatePolicy.retrain?.(log, now);
  }
}

/**
 * Source score of explore candidates: above every other source's score, so ranker-less pipelines
 * show them, yet finite, so arithmetic downstream (min-max normalisation in a re-ranker) stays finite.
 */
export const EXPLORE_SOURCE_SCORE = Number.MAX_VALUE;

export function exploreCandidate(itemId: number): Candidate {
  return { itemId, sources: [EXPLORE_SOURCE], sourceScore: EXPLORE_SOURCE_SCORE };
}

/**
 * Epsilon-greedy at the candidate stage: each of k exploratory slots is filled with probability
 * epsilon, by items drawn uniformly without replacement from the catalog. With m ~ Binomial(k', ε)
 * items out of N (k' = min(k, N)), an item is included with probability E[m]/N = k'·ε/N.
 */
export class EpsilonExploreSource implements ExploreSource {
  readonly name = EXPLORE_SOURCE;

  constructor(
    private readonly k: number,
    private readonly epsilon: number,
    private readonly catalogSize: () => number,
    /** Keyed by request (slate id). */
    private readonly draws: KeyedStream,
  ) {}

  generate(requests: readonly RecRequest[]): Candidate[][] {
    const n = this.catalogSize();
    const k = Math.min(this.k, n);
    return requests.map((request) => {
      const rng = requestDraws(this.draws, request);
      let m = 0;
      for (let j = 0; j < k; j++) if (rng.next() < this.epsilon) m++;
      return rng.sampleIndices(n, m).map(exploreCandidate);
    });
  }

  inclusion(_request: RecRequest, _itemId: number): number {
    const n = this.catalogSize();
    return (Math.min(this.k, n) * this.epsilon) / n;
  }
}

/** A policy that explores by adding candidates: greedy slates over the candidates it adds. */
export function candidateStage(source: ExploreSource, name: string): Exploration {
  return { policy: new CandidateStagePolicy(new GreedyPolicy(), source, name), sources: [source] };
}
