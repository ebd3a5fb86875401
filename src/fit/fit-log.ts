/**
 * `recloop fit`: a world fitted to an imported log. Reads the log's slots, items, clicks and
 * user features, splits the traffic into segments (segments.ts), fits the position-based click
 * model (position-model.ts) and writes, into a staged folder of kind `fit`, the fitted world
 * (fitted-world.json), its table (fit.txt) and a scenario simulating the logged setting in it
 * (scenario.yaml, for recloop fit-check).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readImportedLog, type LoggedRounds } from '../ope/logged/read-imported.js';
import { OpeLogError } from '../ope/logged/ope-log-error.js';
import { StagedOutput } from '../run/output-dir.js';
import { FitError } from './fit-error.js';
import { FIT_SCENARIO_FILE, formatFitScenario, type FitScenario } from './fit-scenario.js';
import { formatFittedWorld } from './fit-table.js';
import { FITTED_WORLD_FILE, FITTED_WORLD_MODEL, type FittedWorld } from './fitted-world.js';
import { logDigest } from './log-digest.js';
import { fitPositionModel, type ShrinkagePriors } from './position-model.js';
import { segmentRows, type SegmentSpec } from './segments.js';
import { worldParameters, worldStandardErrors } from './world-parameters.js';

export const FIT_TABLE_FILE = 'fit.txt';

export interface FitRequest {
  readonly logDir: string;
  readonly outDir: string;
  readonly force: boolean;
  /** The feature columns segments are made of; default: the log's user_feature_* columns. */
  readonly segmentBy?: readonly string[];
  readonly maxSegments: number;
  readonly minSegmentShare: number;
  readonly priors: ShrinkagePriors;
}

export interface FitResult {
  readonly world: FittedWorld;
  /** What the reader should know about the log (printed, not fatal). */
  readonly notes: readonly string[];
}

/** What recloop fit reads from import.json beyond the rows. */
interface ImportFacts {
  readonly source: string | null;
  readonly features: readonly string[];
  readonly hasPosition: boolean;
}

export async function fitLog(request: FitRequest): Promise<FitResult> {
  const facts = await readImportFacts(request.logDir);
  const importFile = join(request.logDir, 'import.json');
  if (!facts.hasPosition) {
    throw new FitError(`${importFile}: columns.position: the log has no slot column; the position model needs each impression's slot (import it with --position)`);
  }
  const segmentBy = request.segmentBy ?? facts.features.filter((name) => name.startsWith('user_feature_'));
  const unknown = segmentBy.find((name) => !facts.features.includes(name));
  if (unknown !== undefined) {
    throw new FitError(`${importFile}: features: no column "${unknown}" to segment by; the log has ${facts.features.length === 0 ? 'none' : facts.features.join(', ')}`);
  }
  const rounds = await readRounds(request.logDir, segmentBy);
  const notes = checkRows(rounds);
  const segmentation = segmentRows(rounds.columns ?? {}, rounds.itemId.length, { columns: segmentBy, maxSegments: request.maxSegments, minShare: request.minSegmentShare } satisfies SegmentSpec);
  const rows = rounds.itemId.length;
  const shares = segmentation.rows.map((n) => n / rows);
  const fit = fitPositionModel(
    { slots: rounds.slots, items: rounds.items, segments: shares.length, slot: rounds.position, item: rounds.itemId, segment: segmentation.ofRow, clicked: rounds.clicked },
    request.priors,
  );
  if (!fit.converged) notes.push(`the fit stopped after ${fit.iterations} iterations without converging`);
  const shape = { slots: rounds.slots, items: rounds.items, shares };
  const value = worldParameters(fit.estimate, shape);
  const se = worldStandardErrors(fit.estimate, fit.covariance, shape);
  const counts = tally(rounds, segmentation.ofRow, shares.length);
  const P = fit.names.length;
  let clicks = 0;
  for (const c of rounds.clicked) clicks += c;
  const world: FittedWorld = {
    kind: 'recloop fitted world',
    model: `${FITTED_WORLD_MODEL}; theta[1] = 1; q shrunk toward the items' common log-mean (prior sd ${request.priors.itemSd}), log m toward 0 (prior sd ${request.priors.segmentSd}); penalised maximum likelihood, standard errors from the penalised information`,
    log: { dir: request.logDir, source: facts.source, arm: rounds.arm, rows, clicks, digest: logDigest(rounds) },
    slots: rounds.slots,
    items: rounds.items,
    segment_columns: [...segmentBy],
    priors: { item_sd: request.priors.itemSd, segment_sd: request.priors.segmentSd },
    fit: { log_likelihood: fit.logLikelihood, iterations: fit.iterations, converged: fit.converged },
    positions: Array.from(value.theta, (theta, k) => ({ slot: k + 1, theta, se: se.theta[k], ...counts.slot[k] })),
    item_propensities: Array.from(value.q, (q, i) => ({ item: i, q, se: se.q[i], ...counts.item[i] })),
    segments: segmentation.names.map((name, s) => ({
      name,
      values: segmentation.values[s],
      share: shares[s],
      share_se: Math.sqrt((shares[s] * (1 - shares[s])) / rows),
      ...counts.segment[s],
      m: value.m[s],
      m_se: se.m[s],
    })),
    log_parameters: {
      names: [...fit.names],
      estimate: Array.from(fit.estimate),
      covariance: Array.from({ length: P }, (_, a) => Array.from(fit.covariance.subarray(a * P, (a + 1) * P))),
    },
  };
  const scenario: FitScenario = {
    fitted_world: FITTED_WORLD_FILE,
    policy: 'uniform',
    priors: null,
    campaign: null,
    posterior: 'updated',
    batch: 1000,
    seeds: 50,
    seed: 1,
    parameters: 'drawn',
  };
  const header = [
    `The logged setting simulated in the world fitted to ${request.logDir} (logged by ${rounds.arm}), for recloop fit-check:`,
    'each impression draws a segment by its share, the policy fills the slots, each shown item is clicked with theta[slot] * q[item] * m[segment].',
    `Run: recloop fit-check ${join(request.outDir, FIT_SCENARIO_FILE)} --truth <an imported log of another policy on the same traffic>`,
  ].join('\n');
  const staged = await StagedOutput.create(request.outDir, request.force, 'fit');
  try {
    await writeFile(join(staged.dir, FITTED_WORLD_FILE), `${JSON.stringify(world, null, 2)}\n`);
    await writeFile(join(staged.dir, FIT_TABLE_FILE), formatFittedWorld(world));
    await writeFile(join(staged.dir, FIT_SCENARIO_FILE), formatFitScenario(scenario, header));
    await staged.commit();
  } catch (error) {
    await staged.discard();
    throw error;
  }
  return { world, notes };
}

async function readImportFacts(dir: string): Promise<ImportFacts> {
  const file = join(dir, 'import.json');
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new FitError(`${dir}: not an imported log (no readable import.json); make one with recloop import`);
  }
  const record = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {};
  const columns = record.columns;
  const features = record.features;
  const source = record.source;
  if (typeof columns !== 'object' || columns === null || !Array.isArray(features) || features.some((f) => typeof f !== 'string')) {
    throw new FitError(`${file}: expected "columns" (a mapping) and "features" (a list of column names)`);
  }
  const log = typeof source === 'object' && source !== null && 'log' in source && typeof source.log === 'string' ? source.log : null;
  return { source: log, features: features as string[], hasPosition: 'position' in columns };
}

async function readRounds(dir: string, columns: readonly string[]): Promise<LoggedRounds> {
  try {
    return await readImportedLog(dir, columns);
  } catch (error) {
    if (error instanceof OpeLogError) throw new FitError(error.message);
    throw error;
  }
}

/** Every row's item, slot, click and propensity in range; notes on what the fit assumes of the log. */
function checkRows(rounds: LoggedRounds): string[] {
  const file = join(rounds.dir, 'impressions', 'log.parquet');
  const n = rounds.itemId.length;
  if (n === 0) throw new FitError(`${file}: no impressions`);
  if (rounds.slots < 2) throw new FitError(`${file}: position: every impression at one slot; the position model needs a log over several slots`);
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < n; r++) {
    const where = `${file}: row ${r + 1}`;
    const item = rounds.itemId[r];
    const slot = rounds.position[r];
    const p = rounds.propensity[r];
    if (!(item >= 0 && item < rounds.items)) throw new FitError(`${where}: item_id: ${item} is out of range; expected 0 to ${rounds.items - 1}`);
    if (!(slot >= 0 && slot < rounds.slots)) throw new FitError(`${where}: position: ${slot} is out of range; expected 0 to ${rounds.slots - 1} (${rounds.slots} slots, from 0)`);
    if (rounds.clicked[r] !== 0 && rounds.clicked[r] !== 1) throw new FitError(`${where}: clicked: ${rounds.clicked[r]}; expected true or false`);
    if (!Number.isNaN(p)) {
      if (!(p > 0 && p <= 1)) throw new FitError(`${where}: propensity: ${p} is out of range; expected a probability in (0, 1]`);
      lowest = Math.min(lowest, p);
      highest = Math.max(highest, p);
    }
  }
  const notes: string[] = [];
  if (highest > lowest * (1 + 1e-9)) {
    notes.push(
      `${rounds.dir}: logged by ${rounds.arm} with propensities from ${lowest.toPrecision(3)} to ${highest.toPrecision(3)}, not uniformly at random; the fit holds only if that policy chose from nothing the model leaves out`,
    );
  }
  return notes;
}

interface Counts {
  impressions: number;
  clicks: number;
}

function tally(rounds: LoggedRounds, segmentOf: Int32Array, segments: number): { slot: Counts[]; item: Counts[]; segment: Counts[] } {
  const zero = (n: number): Counts[] => Array.from({ length: n }, () => ({ impressions: 0, clicks: 0 }));
  const out = { slot: zero(rounds.slots), item: zero(rounds.items), segment: zero(segments) };
  for (let r = 0; r < rounds.itemId.length; r++) {
    for (const c of [out.slot[rounds.position[r]], out.item[rounds.itemId[r]], out.segment[segmentOf[r]]]) {
      c.impressions++;
      c.clicks += rounds.clicked[r];
    }
  }
  return out;
}
