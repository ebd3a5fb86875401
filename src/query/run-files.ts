/**
 * Reading the JSON files of a run folder back into the types the run wrote them from. The
 * files are checked as they are read, so a damaged or foreign file fails with its path and
 * what was wrong rather than as an undefined deep inside a notebook.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RUN_FILES } from '../run/run-scenario.js';
import type { MetricsRow, RunSummary } from '../run/summary.js';
import { QueryError } from './errors.js';

export async function readMetricsRows(dir: string): Promise<MetricsRow[]> {
  return readJsonLines(join(dir, RUN_FILES.metrics));
}

/** Wall-clock figures per epoch; empty when the run has no timings file. */
export async function readTimingsRows(dir: string): Promise<MetricsRow[]> {
  return readJsonLines(join(dir, RUN_FILES.timings), true);
}

/** The run's scenario.resolved.yaml as text. */
export async function readScenarioText(dir: string): Promise<string> {
  return readText(join(dir, RUN_FILES.scenario));
}

export async function readRunSummary(dir: string): Promise<RunSummary> {
  const file = join(dir, RUN_FILES.summary);
  const value = parseJson(await readText(file), file);
  const bad = (what: string): QueryError => new QueryError(`${file}: expected ${what}`);
  if (!isRecord(value)) throw bad('a JSON object');
  const { scenario, seed, recommender, days, epochs } = value;
  if (typeof scenario !== 'string' || typeof recommender !== 'string') throw bad('"scenario" and "recommender" strings');
  if (typeof seed !== 'number' || typeof days !== 'number' || typeof epochs !== 'number') throw bad('numbers "seed", "days" and "epochs"');
  const table = (key: string): MetricsRow => {
    const row = value[key];
    if (!isNumberRecord(row)) throw bad(`"${key}" to map metric names to numbers`);
    return row;
  };
  const means = (): Readonly<Record<string, number | null>> => {
    const row = value.mean;
    if (!isRecord(row) || !Object.values(row).every((v) => typeof v === 'number' || v === null)) throw bad('"mean" to map metric names to numbers or null');
    return row as Record<string, number | null>;
  };
  // Older runs also wrote model_backend here; it is in run.json now and ignored.
  return {
    scenario,
    seed,
    recommender,
    days,
    epochs,
    totals: table('totals'),
    first: table('first'),
    last: table('last'),
    mean: means(),
  };
}

/** What the runs table shows of a bandit run: its summary.json names the scenario, seed and policy. */
export async function readBanditSummaryHead(dir: string): Promise<{ scenario: string; seed: number; policy: string }> {
  const file = join(dir, RUN_FILES.summary);
  const value = parseJson(await readText(file), file);
  if (!isRecord(value) || typeof value.scenario !== 'string' || typeof value.seed !== 'number' || typeof value.policy !== 'string') {
    throw new QueryError(`${file}: expected a bandit summary with "scenario" and "policy" strings and a number "seed"`);
  }
  return { scenario: value.scenario, seed: value.seed, policy: value.policy };
}

/** What the runs table shows of an imported log: its logging policy, days and epochs (import.json). */
export async function readImportHead(dir: string): Promise<{ format: string; arm: string; days: number; epochs: number }> {
  const file = join(dir, 'import.json');
  const value = parseJson(await readText(file), file);
  if (!isRecord(value) || typeof value.format !== 'string' || typeof value.arm !== 'string' || typeof value.days !== 'number' || typeof value.epochs !== 'number') {
    throw new QueryError(`${file}: expected an imported log's description with "format" and "arm" strings and numbers "days" and "epochs"`);
  }
  return { format: value.format, arm: value.arm, days: value.days, epochs: value.epochs };
}

async function readJsonLines(file: string, optional = false): Promise<MetricsRow[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (optional && isMissing(error)) return [];
    throw readError(file, error);
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const row = parseJson(line, `${file}:${index + 1}`);
      if (!isNumberRecord(row)) throw new QueryError(`${file}:${index + 1}: expected an object of numbers`);
      return row;
    });
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw readError(file, error);
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new QueryError(`${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function readError(file: string, error: unknown): QueryError {
  return new QueryError(isMissing(error) ? `${file}: no such file` : `${file}: cannot read (${error instanceof Error ? error.message : String(error)})`);
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumberRecord(value: unknown): value is Record<string, number> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'number');
}
