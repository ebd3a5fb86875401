/**
 * The checkpoint file: a graph written and read back whole (buffers raw after the header, views
 * that share one still sharing it), renamed over the last one, damaged files refused by name; and
 * when the schedule asks for one.
 */
import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { restoreGraph, snapshotGraph } from '../src/checkpoint/object-graph.js';
import { CHECKPOINT_FILE, CheckpointSchedule, hasCheckpoint, readCheckpoint, removeCheckpoint, writeCheckpoint } from '../src/run/checkpoint-file.js';
import { tempDir } from './support/scenarios.js';

function state(): { log: Float64Array; window: Float64Array; ids: Int32Array; names: string[]; empty: Uint8Array } {
  const log = new Float64Array([1.5, 2.5, 3.5, 4.5]);
  return { log, window: log.subarray(2), ids: new Int32Array([7, -3]), names: ['a', 'b'], empty: new Uint8Array(0) };
}

describe('checkpoint file', () => {
  it('gives back the graph it was written with, buffers shared as they were', async () => {
    const dir = tempDir();
    await writeCheckpoint(dir, { epochsDone: 3, force: true, graph: snapshotGraph(state()) });
    expect(readdirSync(dir)).toEqual([CHECKPOINT_FILE]);
    const read = readCheckpoint(dir);
    expect(read.epochsDone).toBe(3);
    expect(read.force).toBe(true);
    const restored = restoreGraph(read.graph, state());
    expect(Array.from(restored.log)).toEqual([1.5, 2.5, 3.5, 4.5]);
    expect(Array.from(restored.ids)).toEqual([7, -3]);
    expect(restored.names).toEqual(['a', 'b']);
    expect(restored.empty).toHaveLength(0);
    restored.log[3] = 9;
    expect(restored.window[1]).toBe(9);
  });

  it('replaces the last one whole, and is removed with its half-written successor', async () => {
    const dir = tempDir();
    await writeCheckpoint(dir, { epochsDone: 1, force: false, graph: snapshotGraph(state()) });
    await writeCheckpoint(dir, { epochsDone: 2, force: false, graph: snapshotGraph(state()) });
    expect(readCheckpoint(dir).epochsDone).toBe(2);
    writeFileSync(join(dir, `${CHECKPOINT_FILE}.tmp`), 'half');
    expect(hasCheckpoint(dir)).toBe(true);
    await removeCheckpoint(dir);
    expect(readdirSync(dir)).toEqual([]);
    expect(hasCheckpoint(dir)).toBe(false);
  });

  it('refuses a cut or foreign file, or one of another version, naming it', async () => {
    const dir = tempDir();
    await writeCheckpoint(dir, { epochsDone: 1, force: false, graph: snapshotGraph(state()) });
    const file = join(dir, CHECKPOINT_FILE);
    const size = readFileSync(file).length;
    truncateSync(file, size - 1);
    expect(() => readCheckpoint(dir)).toThrow(`${file}: ${size - 1} bytes where its header describes ${size}; the file is damaged`);
    const header = readFileSync(file).subarray(0, 8 + Number(readFileSync(file).readBigUInt64LE(0)));
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const other = Buffer.from(header.toString('latin1').replace(version, '9.9.9'), 'latin1');
    writeFileSync(file, Buffer.concat([other, readFileSync(file).subarray(header.length)]));
    expect(() => readCheckpoint(dir)).toThrow(/written by recloop 9\.9\.9, and this is \d+\.\d+\.\d+; resume with the version that started the run, or start it over with --force/);
    writeFileSync(file, 'not a checkpoint at all');
    expect(() => readCheckpoint(dir)).toThrow(`${file}: not a checkpoint this version of recloop wrote`);
    expect(existsSync(file)).toBe(true);
  });
});

describe('CheckpointSchedule', () => {
  it('asks for one after the first epoch, then only once the run has earned it', async () => {
    const schedule = new CheckpointSchedule();
    expect(schedule.due()).toBe(true);
    await schedule.write(() => new Promise((done) => setTimeout(done, 20)));
    expect(schedule.written.count).toBe(1);
    expect(schedule.written.seconds).toBeGreaterThanOrEqual(0.019);
    // 20 ms spent, and 30 more expected: due once the run is 1.25 s old, not before.
    expect(schedule.due()).toBe(false);
  });
});
