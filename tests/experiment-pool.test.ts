/**
 * The experiment pool's worker processes: results in job order whatever order jobs finish in,
 * the same rows as on the calling thread, and a job that fails in a worker fails the run with
 * the job's own message (and no worker is left running).
 */
import { describe, expect, it } from 'vitest';
import { runJobs, type ExperimentJob } from '../src/experiment/index.js';
import { toResolvedYaml } from '../src/scenario/index.js';
import { smallScenario } from './support/scenarios.js';

const scenarioYaml = toResolvedYaml(
  smallScenario(['horizon.days=2', 'replicas=2', 'experiment.control=popularity', 'experiment.arms.popularity={}', 'experiment.arms.random={kind: random}']),
);
const jobs: ExperimentJob[] = [3, 4].flatMap((seed, s) => ['popularity', 'random'].map((arm, a) => ({ id: 2 * s + a, scenarioYaml, seed, arm })));

describe('experiment worker processes', () => {
  it('return every job’s rows in job order, the same as on the calling thread', async () => {
    const onWorkers = await runJobs(jobs, { workers: 2 });
    const inline = await runJobs(jobs, { workers: 0 });
    expect(onWorkers.map((r) => [r.id, r.seed, Object.keys(r.arms)])).toEqual(jobs.map((j) => [j.id, j.seed, [j.arm]]));
    expect(onWorkers.map((r) => r.arms)).toEqual(inline.map((r) => r.arms));
  });

  it('fail the run with the message of a job that fails in a worker', async () => {
    const broken = [...jobs.slice(0, 1), { ...jobs[1], arm: 'no_such_arm' }];
    await expect(runJobs(broken, { workers: 2 })).rejects.toThrow('job 1: unknown arm "no_such_arm"');
  });
});
