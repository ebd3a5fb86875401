/**
 * Numeric guards: a model whose loss or weights stop being finite (or whose loss explodes) stops
 * the run with an error naming the component and the epoch, and no NaN or Infinity reaches any
 * file: the run's folder is not kept, and nothing else is left beside it. The NaN is forced into
 * the real components' weights by wrapping their optimiser steps (the only test hook), or comes
 * from a learning rate far too high.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Adam } from '../src/ml/adam.js';
import { Mlp } from '../src/ml/dense.js';
import { checkTrained, DivergenceError, firstNonFinite } from '../src/ml/divergence.js';
import { IsotonicCalibrator } from '../src/recommender/ranking/calibration.js';
import { MultiTaskRanker } from '../src/recommender/ranking/multi-task-ranker.js';
import { TwoTowerSource } from '../src/recommender/two-tower/source.js';
import type { TrainingLog } from '../src/training/training-log.js';
import { checkFiniteDocument, checkFiniteImpressions, NonFiniteOutputError, nonFinitePath } from '../src/run/finite-output.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';
import { runScenario } from '../src/run/run-scenario.js';
import { parseScenario } from '../src/scenario/index.js';
import { tempDir } from './support/scenarios.js';

/** Two-stage, as small as it gets: one random day, then two retrains. */
const TINY_TWO_STAGE = `
name: tiny-two-stage
seed: 4
horizon: { days: 3 }
schedule: { kind: continuous, batch_window: 1m }
world:
  topics: 6
  users: { count: 200, signups_per_day: 10 }
  items: { count: 300, uploads_per_day: 10, creators: 30 }
recommender:
  kind: two_stage
  slate_size: 5
  random_startup: 1d
  retrain: { every: 1d, window: 2d }
  candidates:
    - { source: two_tower, k: 30 }
    - { source: popularity, k: 20, window: 1d }
  two_tower: { dim: 8, epochs: 1, batch_size: 64 }
  ranker: { heads: [click, watch], epochs: 1, calibration: isotonic }
  score: "0.5*click + 0.5*watch"
`;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs the tiny scenario into a fresh folder; returns the error it stopped with and what the parent folder holds after. */
async function failedRun(overrides: readonly string[] = []): Promise<{ error: unknown; left: string[] }> {
  const parent = tempDir();
  const scenario = parseScenario(TINY_TWO_STAGE, 'tiny.yaml', overrides);
  const error = await runScenario(scenario, { outDir: join(parent, 'run') }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, left: readdirSync(parent) };
}

describe('a model that diverges stops the run, naming the component and the epoch', () => {
  it('NaN in the ranker weights', async () => {
    const step = Adam.prototype.step;
    vi.spyOn(Adam.prototype, 'step').mockImplementation(function (this: Adam, parameters, gradients) {
      step.call(this, parameters, gradients);
      parameters[0][0] = Number.NaN;
    });
    const { error, left } = await failedRun();
    expect(error).toBeInstanceOf(DivergenceError);
    expect(String((error as Error).message)).toMatch(/^ranker diverged at the retrain after epoch 0 \(day 1\): (its training loss is NaN|weight 0 of its tensor 0 is NaN); the run stops .*lower recommender\.ranker\.learning_rate/);
    expect(left).toEqual([]);
  }, 60_000);

  it('Infinity in the two-tower weights', async () => {
    const step = Mlp.prototype.step;
    vi.spyOn(Mlp.prototype, 'step').mockImplementation(function (this: Mlp) {
      step.call(this);
      this.parameters[1][0] = Number.POSITIVE_INFINITY;
    });
    const { error, left } = await failedRun();
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toMatch(/^two_tower diverged at the retrain after epoch 0 \(day 1\): (its training loss is NaN|weight \d+ of its tensor \d+ is (Infinity|NaN)); .*recommender\.two_tower\.learning_rate/);
    expect(left).toEqual([]);
  }, 60_000);

  it('a calibrator that maps logits to NaN', async () => {
    vi.spyOn(IsotonicCalibrator.prototype, 'apply').mockReturnValue(Number.NaN);
    const { error, left } = await failedRun();
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toMatch(/^calibration of head click failed at the retrain after epoch 0 \(day 1\): weight 0 of its tensor 0 is NaN; .*recommender\.ranker\.calibration is isotonic/);
    expect(left).toEqual([]);
  }, 60_000);

  it('a calibrator that fails only on negative logits, or only near zero: the probes reach both', async () => {
    // The probes are -20, -2, 0, 2, 20: NaN below 0 is found at the first, NaN in (-5, 0) at the second.
    const original = IsotonicCalibrator.prototype.apply;
    for (const [below, above, probe] of [[Number.NEGATIVE_INFINITY, 0, 0], [-5, 0, 1]] as const) {
      vi.spyOn(IsotonicCalibrator.prototype, 'apply').mockImplementation(function (this: IsotonicCalibrator, z: number) {
        return z > below && z < above ? Number.NaN : original.call(this, z);
      });
      const { error } = await failedRun();
      expect((error as Error).message).toMatch(new RegExp(`^calibration of head click failed .*: weight ${probe} of its tensor 0 is NaN`));
      vi.restoreAllMocks();
    }
  }, 120_000);

  it('a learning rate far too high: finite weights, an exploding loss', async () => {
    const { error, left } = await failedRun(['recommender.ranker.learning_rate=1e30']);
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toMatch(/^ranker diverged at the retrain after epoch 0 \(day 1\): its training loss is [\d.]+e\+\d+, past 1e\+6/);
    expect(left).toEqual([]);
  }, 60_000);
});

describe('on_divergence: keep_last goes back to the last good weights instead', () => {
  /** Runs the tiny scenario with `overrides`; each metrics row, by day. */
  async function keptRun(overrides: readonly string[]): Promise<Record<string, number>[]> {
    const scenario = parseScenario(TINY_TWO_STAGE, 'tiny.yaml', ['horizon.days=4', ...overrides]);
    const outcome = await runScenario(scenario, { outDir: join(tempDir(), 'run') });
    const text = readFileSync(join(outcome.dir, 'metrics.jsonl'), 'utf8');
    expect(text).not.toMatch(/NaN|Infinity|null/);
    return text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, number>);
  }

  /** True while the model's retrain of day 2 (the second) runs: the day whose training is poisoned. */
  interface Retrains {
    retrain(log: TrainingLog, now: number): Promise<void>;
  }
  function poisonDay2(prototype: Retrains): () => boolean {
    let poisoned = false;
    const retrain = prototype.retrain;
    vi.spyOn(prototype, 'retrain').mockImplementation(async function (this: Retrains, log: TrainingLog, now: number) {
      poisoned = now === 2;
      try {
        await retrain.call(this, log, now);
      } finally {
        poisoned = false;
      }
    });
    return () => poisoned;
  }

  it('a ranker whose second retrain diverges serves its first retrain’s model and calibration, then trains again', async () => {
    const poisoned = poisonDay2(MultiTaskRanker.prototype);
    const step = Adam.prototype.step;
    vi.spyOn(Adam.prototype, 'step').mockImplementation(function (this: Adam, parameters, gradients) {
      step.call(this, parameters, gradients);
      if (poisoned()) parameters[0][0] = Number.NaN;
    });
    const rows = await keptRun(['recommender.ranker.on_divergence=keep_last']);
    expect(rows.map((r) => r.ranker_divergences)).toEqual([0, 1, 1, 1]);
    // Day 2 kept day 1's model: its holdout figures are those of day 1; day 3 trained again.
    expect(rows[1].ranker_auc_click).toBe(rows[0].ranker_auc_click);
    expect(rows[1].ranker_train_examples).toBe(rows[0].ranker_train_examples);
    expect(rows[2].ranker_auc_click).not.toBe(rows[1].ranker_auc_click);
    expect(rows.every((r) => r.two_tower_divergences === 0)).toBe(true);
  }, 120_000);

  it('a two-tower whose second retrain diverges serves its first retrain’s model and index, then trains again', async () => {
    const poisoned = poisonDay2(TwoTowerSource.prototype);
    const step = Mlp.prototype.step;
    vi.spyOn(Mlp.prototype, 'step').mockImplementation(function (this: Mlp) {
      step.call(this);
      if (poisoned()) this.parameters[1][0] = Number.POSITIVE_INFINITY;
    });
    const rows = await keptRun(['recommender.two_tower.on_divergence=keep_last']);
    expect(rows.map((r) => r.two_tower_divergences)).toEqual([0, 1, 1, 1]);
    // The index of day 1 serves on through day 2 (same size: uploads wait for the next good retrain).
    expect(rows[1].two_tower_indexed_items).toBe(rows[0].two_tower_indexed_items);
    expect(rows[2].two_tower_indexed_items).toBeGreaterThan(rows[1].two_tower_indexed_items);
  }, 120_000);

  it('still stops when the first retrain diverges: there is nothing to go back to', async () => {
    const { error, left } = await failedRun(['recommender.ranker.learning_rate=1e30', 'recommender.ranker.on_divergence=keep_last']);
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toMatch(/^ranker diverged at the retrain after epoch 0 \(day 1\)/);
    expect(left).toEqual([]);
  }, 60_000);
});

describe('the checks themselves', () => {
  it('checkTrained passes finite values and names the first that is not', () => {
    const at = { epoch: 4, day: 5.5 };
    expect(() => checkTrained('ranker', at, 0.7, [new Float32Array([1, 2]), new Float32Array([3])], 'hint')).not.toThrow();
    expect(() => checkTrained('ranker', at, 0.7, [new Float32Array([1, 2]), new Float32Array([3, Number.NEGATIVE_INFINITY])], 'hint')).toThrow(
      'ranker diverged at the retrain after epoch 4 (day 5.50): weight 1 of its tensor 1 is -Infinity; the run stops before anything computed from it is written (hint)',
    );
    expect(() => checkTrained('two_tower', at, Number.NaN, [], 'hint')).toThrow(/its training loss is NaN/);
    expect(() => checkTrained('two_tower', at, Number.POSITIVE_INFINITY, [], 'hint')).toThrow(/its training loss is Infinity;/);
    expect(() => checkTrained('two_tower', { epoch: undefined, day: 1 }, Number.NaN, [], 'hint')).toThrow(/after epoch none \(day 1\)/);
    // The loss limit itself is allowed; past it is not.
    expect(() => checkTrained('ranker', at, 1e6, [], 'hint')).not.toThrow();
    expect(() => checkTrained('ranker', at, 1.5e6, [], 'hint')).toThrow(/its training loss is 1\.5e\+6, past 1e\+6/);
    let thrown: unknown;
    try {
      checkTrained('ranker', at, Number.NaN, [], 'hint');
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).name).toBe('DivergenceError');
    // Finite values whose sum overflows are not mistaken for an Infinity.
    expect(firstNonFinite([new Float64Array([1.7e308, 1.7e308])])).toBeUndefined();
  });

  it('an output document with NaN or Infinity is refused, naming the file, epoch and field; null is allowed', () => {
    expect(nonFinitePath({ a: 1, b: null, c: [1, { d: 2 }] })).toBeUndefined();
    expect(nonFinitePath({ a: 1, c: [1, { d: Number.NaN }] })).toBe('c[1].d');
    expect(() => checkFiniteDocument('metrics.jsonl, epoch 3', { ctr: 0.1, watch_minutes: Number.POSITIVE_INFINITY })).toThrow(NonFiniteOutputError);
    expect(() => checkFiniteDocument('metrics.jsonl, epoch 3', { ctr: Number.NaN })).toThrow(
      'metrics.jsonl, epoch 3: ctr is NaN; the run stops rather than write it (a NaN or Infinity means a component broke)',
    );
  });

  it('an impression log with NaN or Infinity is refused, naming the column and the row, also for a column kept once a slate', () => {
    const log = (): ImpressionBuffer => {
      const buffer = new ImpressionBuffer();
      for (let i = 0; i < 30; i++) {
        buffer.append({ time: 1 + Math.floor(i / 10) / 100, epoch: 1, slateId: Math.floor(i / 10), userId: 4, itemId: i, position: i % 10, arm: 'a', source: 's', propensity: 1, clicked: false, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null });
      }
      return buffer;
    };
    expect(() => checkFiniteImpressions('impression log, epoch 1', log())).not.toThrow();
    const perImpression = log();
    perImpression.columns.watch_minutes[13] = Number.NaN;
    expect(() => checkFiniteImpressions('impression log, epoch 1', perImpression)).toThrow('impression log, epoch 1: column watch_minutes of row 13 is NaN');
    const perSlate = log();
    perSlate.columns.slates.time[2] = Number.POSITIVE_INFINITY;
    expect(() => checkFiniteImpressions('impression log, epoch 1', perSlate)).toThrow('impression log, epoch 1: column time of row 20 is Infinity');
  });
});
