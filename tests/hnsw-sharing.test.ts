/**
 * Sharing HNSW graphs between a run's threads (retrieval/hnsw-sharing.ts): the receiver gets the
 * announced file in build order, refuses a graph built from other vectors, and the publisher
 * removes the file once every reader has read it. (Replicas on real threads: parallel-serving.)
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HnswPublisher, HnswReceiver, vectorChecksum } from '../src/recommender/retrieval/hnsw-sharing.js';
import { tempDir } from './support/scenarios.js';

const open: { close(): void }[] = [];
afterEach(() => open.splice(0).forEach((c) => c.close()));

function pair(name: string, readers: number): { publisher: HnswPublisher; receivers: HnswReceiver[] } {
  const receivers = Array.from({ length: readers }, () => new HnswReceiver(name));
  const publisher = new HnswPublisher(name, readers);
  open.push(publisher, ...receivers);
  return { publisher, receivers };
}

/** Lets the broadcast channel deliver what was posted. */
const delivered = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('HNSW graph sharing', () => {
  it('hands each receiver the files in build order, and removes each once all readers have read it', async () => {
    const { publisher, receivers } = pair('sharing-order', 2);
    const dir = tempDir();
    const vectors = [Float32Array.from([1, 2, 3, 4]), Float32Array.from([5, 6, 7, 8])];
    const files = vectors.map((_, b) => join(dir, `graph-${b}.bin`));
    files.forEach((file) => writeFileSync(file, 'graph'));
    // The first receiver asks before the announcement, the second after it.
    const early = receivers[0].next(vectors[0]);
    publisher.announce(files[0], vectors[0]);
    publisher.announce(files[1], vectors[1]);
    await delivered();
    const first = await early;
    expect(first.file).toBe(files[0]);
    const late = await receivers[1].next(vectors[0]);
    expect(late.file).toBe(files[0]);
    first.done();
    await delivered();
    expect(existsSync(files[0])).toBe(true); // one reader still to read
    late.done();
    await delivered();
    expect(existsSync(files[0])).toBe(false);
    const second = await Promise.all(receivers.map((r) => r.next(vectors[1])));
    expect(second.map((s) => s.file)).toEqual([files[1], files[1]]);
    second.forEach((s) => s.done());
    await delivered();
    expect(existsSync(files[1])).toBe(false);
  });

  it('refuses a graph built from other vectors than the receiver holds', async () => {
    const { publisher, receivers } = pair('sharing-checksum', 1);
    const file = join(tempDir(), 'graph.bin');
    writeFileSync(file, 'graph');
    publisher.announce(file, Float32Array.from([1, 2, 3]));
    await delivered();
    await expect(receivers[0].next(Float32Array.from([1, 2, 3.0001]))).rejects.toThrow(/built from other vectors .* out of step/);
  });

  it('removes unread files when the publisher closes', () => {
    const { publisher } = pair('sharing-close', 1);
    const file = join(tempDir(), 'graph.bin');
    writeFileSync(file, 'graph');
    publisher.announce(file, Float32Array.from([1]));
    publisher.close();
    expect(existsSync(file)).toBe(false);
  });

  it('checksums the bits of the vectors', () => {
    expect(vectorChecksum(Float32Array.from([1, 2]))).toBe(vectorChecksum(Float32Array.from([1, 2])));
    expect(vectorChecksum(Float32Array.from([1, 2]))).not.toBe(vectorChecksum(Float32Array.from([2, 1])));
    expect(vectorChecksum(Float32Array.from([0]))).not.toBe(vectorChecksum(Float32Array.from([-0])));
  });
});
