/**
 * A serving replica, the entry of a worker thread: the run's recommender built again from the
 * resolved scenario, on its own copies of the public catalog and users, kept in step with the main
 * thread's (protocol.ts). It observes every slate the main thread's recommender observes and
 * retrains on the same log at the same moments, so between retrains it holds the same state and
 * serves every request exactly as the main thread would.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { resolvePlugins } from '../plugins/resolve.js';
import { buildRecommender } from '../recommender/baselines.js';
import { HnswReceiver, shareHnswGraphs } from '../recommender/retrieval/hnsw-sharing.js';
import type { Recommender, Slate } from '../recommender/types.js';
import { resolveScenario } from '../scenario/index.js';
import { scenarioRecommenderStreams } from '../simulation/build.js';
import { ImpressionBuffer } from '../training/impression-buffer.js';
import { TrainingLog } from '../training/training-log.js';
import { PublicRegistry, type PublicItem, type PublicUser } from '../world/public.js';
import { packSlates, unpackFeedback, unpackRequests } from './wire-format.js';
import type { CatchUp, ReplicaReply, ReplicaStart, ReplicaTask } from './protocol.js';

if (parentPort === null) throw new Error('parallel/replica runs as a worker thread started by the parallel recommender');

const start = workerData as ReplicaStart;
const signal = new Int32Array(start.signal);
const scenario = await resolveScenario(start.scenarioYaml, 'scenario.resolved.yaml', [], { resolve: resolvePlugins });
const catalog = new PublicRegistry<PublicItem>();
const users = new PublicRegistry<PublicUser>();
for (const item of start.items) catalog.add(item);
for (const user of start.users) users.add(user);
const context = { catalog, users, slateSize: scenario.recommender.slate_size, streams: scenarioRecommenderStreams(scenario) };
const recommender: Recommender = buildRecommender(scenario.recommender, context, () => {
  throw new Error('a serving replica has no world: kind: oracle runs on one worker');
});
const log = new TrainingLog(start.logWindow);
// Graphs come from the main thread's builds, which are the ones this copy would make.
shareHnswGraphs(new HnswReceiver(start.hnswChannel));

function catchUp(windows: CatchUp): void {
  for (const seen of windows) {
    for (const item of seen.items) catalog.add(item);
    for (const user of seen.users) users.add(user);
    for (const feedback of unpackFeedback(seen.feedback)) recommender.observe?.(feedback);
  }
}

async function perform(task: Exclude<ReplicaTask, { kind: 'catch-up' }>): Promise<readonly Slate[]> {
  catchUp(task.catchUp);
  if (task.kind === 'serve') return recommender.serve(unpackRequests(task.requests));
  const { chunk } = task;
  log.add({ epoch: chunk.epoch, start: chunk.start, end: chunk.end, impressions: ImpressionBuffer.fromColumns(chunk.columns, chunk.strings) });
  await recommender.retrain(log, task.now);
  return [];
}

function reply(message: ReplicaReply): void {
  start.port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

// One task at a time, in order: a retrain awaits, and the next task must not start inside it.
let queue = Promise.resolve();
// A catch-up has no reply: its error is the answer to the next task.
let failure: unknown;
start.port.on('message', (task: ReplicaTask) => {
  if (task.kind === 'catch-up') {
    queue = queue.then(() => {
      try {
        if (failure === undefined) catchUp(task.catchUp);
      } catch (error) {
        failure = error;
      }
    });
    return;
  }
  queue = queue.then(() =>
    (failure === undefined ? perform(task) : Promise.reject(failure)).then(
      (slates) => reply({ ok: true, slates: packSlates(slates) }),
      (error: unknown) => reply({ ok: false, message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined }),
    ),
  );
});
parentPort.postMessage('ready');
