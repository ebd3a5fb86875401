/** Worker-thread entry: runs the jobs the pool sends, one at a time, and reports back. */
import { parentPort } from 'node:worker_threads';
import { runJob } from './job.js';
import type { FromWorker, ToWorker } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('experiment/worker runs as a worker thread');

const send = (message: FromWorker): void => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  const { job } = message;
  runJob(job, (done, epochs) => send({ type: 'epoch', id: job.id, done, epochs })).then(
    (result) => send({ type: 'done', result }),
    (error: unknown) =>
      send({
        type: 'failed',
        id: job.id,
        message: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      }),
  );
});
