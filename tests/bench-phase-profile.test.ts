/**
 * The loop benchmark charges CPU-profile samples to phases by call stack
 * (bench/support/phase-profile.ts). A profile built by hand: each sample's expected phase.
 */
import { describe, expect, it } from 'vitest';
import { phaseSeconds, phaseTimeline, type CpuProfile, type ProfileNode } from '../bench/support/phase-profile.js';

const SRC = 'file:///repo/src/';
const TF = 'file:///repo/node_modules/@tensorflow/tfjs-core/dist/index.js';

/** A profile whose k-th stack (root first) gets one sample of k+1 ms. */
function profileOf(stacks: readonly (readonly [string, string][])[]): CpuProfile {
  const nodes: { id: number; callFrame: { functionName: string; url: string }; children: number[] }[] = [{ id: 1, callFrame: { functionName: '(root)', url: '' }, children: [] }];
  const samples: number[] = [];
  for (const stack of stacks) {
    let parent = nodes[0];
    for (const [functionName, url] of stack) {
      const node = { id: nodes.length + 1, callFrame: { functionName, url }, children: [] as number[] };
      nodes.push(node);
      parent.children.push(node.id);
      parent = node;
    }
    samples.push(parent.id);
  }
  return { nodes: nodes as ProfileNode[], samples, timeDeltas: samples.map((_, k) => (k + 1) * 1000) };
}

describe('phase attribution of CPU-profile samples', () => {
  const mixed = profileOf([
    [['generate', `${SRC}recommender/sources/popularity.ts`]],
    [['score', `${SRC}recommender/ranking/multi-task-ranker.ts`]],
    [['retrain', `${SRC}recommender/ranking/multi-task-ranker.ts`]],
    [['(garbage collector)', '']],
    [['respond', `${SRC}world/response.ts`]],
  ]);

  it('lays the samples out in time: bins from the profile start, or from an origin shared with other threads', () => {
    // Samples end 1, 3, 6, 10 and 15 ms after the start.
    expect(phaseTimeline(mixed, 0.005)).toEqual([
      { 'source: popularity': 0.001, 'ranker serving': 0.002 },
      { 'ranker training': 0.003 },
      { 'garbage collection': 0.004 },
      { world: 0.005 },
    ]);
    // Started 10 ms after another thread's profile: its samples fall 10 ms later on that thread's clock.
    const later = phaseTimeline({ ...mixed, startTime: 50_000 }, 0.005, 40_000);
    expect(later.slice(0, 2)).toEqual([{}, {}]);
    expect(later.slice(2)).toEqual(phaseTimeline(mixed, 0.005));
  });

  it('charges each sample by its deepest own frame, helpers and libraries to their caller, training by its retrain', () => {
    const seconds = phaseSeconds(
      profileOf([
        [['run', `${SRC}simulation/simulation.ts`], ['generate', `${SRC}recommender/sources/popularity.ts`]],
        [['serve', `${SRC}recommender/pipeline.ts`], ['score', `${SRC}recommender/ranking/multi-task-ranker.ts`], ['matMul', TF]],
        [['retrain', `${SRC}recommender/pipeline.ts`], ['retrain', `${SRC}recommender/ranking/multi-task-ranker.ts`], ['fit', `${SRC}recommender/ranking/trainer.ts`], ['uniform', `${SRC}rng/rng.ts`]],
        [['retrain', `${SRC}recommender/two-tower/source.ts`], ['build', `${SRC}recommender/retrieval/hnsw.ts`], ['addPoint', 'file:///repo/node_modules/hnswlib-node/x.js']],
        [['retrain', `${SRC}recommender/two-tower/source.ts`], ['train', `${SRC}recommender/two-tower/trainer.ts`]],
        [['handle', `${SRC}simulation/simulation.ts`], ['respond', `${SRC}world/response.ts`], ['normal', `${SRC}rng/rng.ts`]],
        [['(garbage collector)', '']],
        [['retrain', `${SRC}recommender/explore/thompson.ts`]],
      ]),
    );
    expect(seconds).toEqual({
      'source: popularity': 0.001,
      'ranker serving': 0.002,
      'ranker training': 0.003,
      'index build': 0.004,
      'two-tower training': 0.005,
      world: 0.006,
      'garbage collection': 0.007,
      'other retraining': 0.008,
    });
  });
});
