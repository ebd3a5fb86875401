/** Streamed feedback reaches the stages that learn from it; a pipeline where none does takes none (the loop then builds no feedback per slate). */
import { describe, expect, it } from 'vitest';
import { GreedyPolicy } from '../src/recommender/explore/greedy.js';
import { Pipeline } from '../src/recommender/pipeline.js';
import { RandomStartup } from '../src/recommender/startup.js';
import type { Candidate, CandidateSource, RecRequest, SlateFeedback } from '../src/recommender/types.js';
import { KeyedStream } from '../src/rng/index.js';

class FixedSource implements CandidateSource {
  readonly name = 'fixed';
  generate(requests: readonly RecRequest[]): Candidate[][] {
    return requests.map(() => [{ itemId: 1, sources: [this.name], sourceScore: 1 }]);
  }
}

class LearningSource extends FixedSource {
  readonly seen: SlateFeedback[] = [];
  observe(feedback: SlateFeedback): void {
    this.seen.push(feedback);
  }
}

const request: RecRequest = { slateId: 3, userId: 0, time: 0, hourOfDay: 0, device: 'tv', requestInSession: 0, pastSessions: 0 };

describe('pipeline feedback', () => {
  it('is not taken when no stage learns, and is passed on (also through the start-up wrapper) when one does', () => {
    const still = new Pipeline('still', { sources: [new FixedSource()], policy: new GreedyPolicy() }, 1, new KeyedStream('p'));
    expect(still.observe).toBeUndefined();
    expect(new RandomStartup(still, still, 1).observe).toBeUndefined();

    const learner = new LearningSource();
    const learning = new Pipeline('learning', { sources: [new FixedSource(), learner], policy: new GreedyPolicy() }, 1, new KeyedStream('p'));
    const [slate] = learning.serve([request]);
    const feedback: SlateFeedback = { request, slate, clicked: 0, watchMinutes: 2, watchFraction: 0.5, completed: false, liked: true, survey: null };
    learning.observe?.(feedback);
    new RandomStartup(learning, still, 1).observe?.(feedback);
    expect(learner.seen).toEqual([feedback, feedback]);
  });
});
