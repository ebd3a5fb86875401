/** Messages from one port, taken one at a time by awaiting; a failure is the answer to every later wait. */
import type { MessagePort } from 'node:worker_threads';

export class Inbox<T> {
  private readonly queue: T[] = [];
  private waiting: { resolve: (message: T) => void; reject: (error: Error) => void } | null = null;
  private failure: Error | undefined;

  constructor(port: MessagePort) {
    port.on('message', (message: T) => {
      if (this.waiting) {
        const { resolve } = this.waiting;
        this.waiting = null;
        resolve(message);
      } else this.queue.push(message);
    });
  }

  /** Ends every wait, now and later, with `error` (the thread behind the port died). */
  fail(error: Error): void {
    this.failure ??= error;
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(this.failure);
    }
  }

  next(): Promise<T> {
    const message = this.queue.shift();
    if (message !== undefined) return Promise.resolve(message);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }
}
