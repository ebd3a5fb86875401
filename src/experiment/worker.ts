/** Worker-process entry: runs the jobs the pool sends, one at a time, and reports back. */
import { runJob } from './job.js';
import type { FromWorker, ToWorker } from './protocol.js';

const channel = process.send?.bind(process);
if (channel === undefined) throw new Error('experiment/worker runs as a worker process started by the experiment pool');

// The pool is gone (its process was stopped by a signal or killed): stop too, at the next pause,
// rather than run the job on and fail to report it.
process.on('disconnect', () => process.exit(0));

const send = (message: FromWorker): void => {
  channel(message);
};

process.on('message', (message: ToWorker) => {
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
