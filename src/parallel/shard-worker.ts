/**
 * A shard thread of a run split by users (user-shards.ts): the run's world and recommender built
 * again from the resolved scenario, simulating the users it owns. Its metrics stay unused: the
 * main thread's metrics see every shard's events, merged.
 */
import { parentPort } from 'node:worker_threads';
import { resolvePlugins } from '../plugins/resolve.js';
import { HnswReceiver, shareHnswGraphs } from '../recommender/retrieval/hnsw-sharing.js';
import { shareTrainedStates, TrainedStates } from '../recommender/trained-states.js';
import { resolveScenario } from '../scenario/index.js';
import { buildParts } from '../simulation/build.js';
import { eventBuffers } from '../simulation/event-log.js';
import type { EpochExchange, MergedEpoch, ShardEpoch } from '../simulation/shard-epoch.js';
import { Simulation, type EpochMetrics } from '../simulation/simulation.js';
import { ImpressionBuffer } from '../training/impression-buffer.js';
import { Inbox } from './inbox.js';
import { replayFor } from './shard-merge.js';
import type { MergedMessage, ShardMessage, ShardStart } from './shard-protocol.js';

// The thread may have been started before the run was read (shard-threads.ts): what it
// simulates comes as its first message, once its modules are loaded.
const start = await new Promise<ShardStart>((resolve, reject) => (parentPort ? parentPort.once('message', resolve) : reject(new Error('shard-worker runs as a worker thread'))));
const port = start.port;
const inbox = new Inbox<MergedMessage>(port);

const exchange: EpochExchange = {
  async endEpoch(epoch: number, local: ShardEpoch): Promise<MergedEpoch> {
    const { columns, strings } = local.impressions;
    const message: ShardMessage = { kind: 'epoch', epoch, events: local.events, keys: local.keys, impressions: { columns, strings }, feedback: local.feedback, prefs: local.prefs, tally: local.tally };
    // The epoch's own buffers are handed over, not copied: this thread starts the next afresh.
    port.postMessage(message, [...eventBuffers(local.events), local.keys.buffer as ArrayBuffer, local.feedback.values.buffer as ArrayBuffer]);
    const merged = await inbox.next();
    return {
      impressions: ImpressionBuffer.over(merged.impressions),
      events: null,
      prefs: null,
      replay: replayFor(start.index, merged.origin, merged.feedback),
      slates: merged.slates,
      tally: merged.tally,
    };
  },
};

const unused: EpochMetrics = { observe: () => {}, endEpoch: () => ({}) };

try {
  const scenario = await resolveScenario(start.scenarioYaml, 'scenario.resolved.yaml', [], { resolve: resolvePlugins });
  // Graphs come from the main thread's builds, which are the ones this copy would make.
  shareHnswGraphs(new HnswReceiver(start.hnswChannel));
  shareTrainedStates(new TrainedStates(start.statesChannel, start.index, start.count));
  const parts = buildParts(scenario);
  const simulation = new Simulation({ ...parts, metrics: unused, shard: { index: start.index, count: start.count, exchange } });
  await simulation.run();
  port.postMessage({ kind: 'done' } satisfies ShardMessage);
} catch (error) {
  port.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined } satisfies ShardMessage);
}
