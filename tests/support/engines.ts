/**
 * Runs a block of tests on each engine the typed-array models compute on: ONNX Runtime (where
 * it loads, as here) and the tfjs backend (RECLOOP_INFERENCE=tfjs), restoring the variable after.
 */
import { afterAll, beforeAll, describe } from 'vitest';

export const ENGINES = ['onnxruntime', 'tfjs'] as const;
export type Engine = (typeof ENGINES)[number];

export function onEachEngine(title: string, body: (engine: Engine) => void): void {
  describe.each(ENGINES)(`${title} on %s`, (engine) => {
    const saved = process.env.RECLOOP_INFERENCE;
    beforeAll(() => {
      if (engine === 'tfjs') process.env.RECLOOP_INFERENCE = 'tfjs';
      else delete process.env.RECLOOP_INFERENCE;
    });
    afterAll(() => {
      if (saved === undefined) delete process.env.RECLOOP_INFERENCE;
      else process.env.RECLOOP_INFERENCE = saved;
    });
    body(engine);
  });
}
