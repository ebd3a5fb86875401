/**
 * `recloop fit-check`: is a fitted world a good enough stand-in for the real one? The scenario's
 * policy runs in the fitted world, one simulated log per seed with as many impressions as the
 * truth log, and the simulated logs are compared with the truth, a real log that policy served on
 * the same traffic: overall click rate, click rate per slot, and the items' exposure shares
 * (total variation distance, against a reference TVD between two resamples of the truth log).
 *
 * Each gap is real − simulated with a 95% interval over seeds. Each seed is one log of the truth's
 * size, so its spread holds the chance a real log of that size has too; with `parameters: drawn`
 * each seed also draws its world from the fit's uncertainty. A world fitted on the truth log
 * itself is refused: its match would be the fit's, not a validation.
 */
import { resolve } from 'node:path';
import { RandomStreams, type Rng } from '../rng/index.js';
import { percentileInterval, resampleCounts } from '../ope/bootstrap.js';
import { OpeLogError } from '../ope/logged/ope-log-error.js';
import { readBetaPriors } from '../ope/logged/priors.js';
import { readImportedLog, type LoggedRounds } from '../ope/logged/read-imported.js';
import { WorldSampler } from './draw-world.js';
import { FitError } from './fit-error.js';
import { besideScenario, type FitScenario } from './fit-scenario.js';
import { readFittedWorld, type FittedWorld } from './fitted-world.js';
import { logDigest } from './log-digest.js';
import { simulateLoggedSetting, type SimulatedPolicy } from './simulate-logged.js';

const CONFIDENCE = 0.95;

export interface FitCheckRequest {
  readonly scenarioFile: string;
  readonly scenario: FitScenario;
  readonly truthDir: string;
}

/** One compared figure: the truth's value, the simulated logs' mean and range, and the gap real − simulated. */
export interface GapRow {
  readonly metric: string;
  readonly real: number;
  /** The real value's own standard error (binomial), where it has one. */
  readonly real_se: number | null;
  readonly simulated_mean: number;
  readonly simulated_lo: number;
  readonly simulated_hi: number;
  readonly gap: number;
  readonly gap_lo: number;
  readonly gap_hi: number;
  /** Whether the gap's interval holds 0: the real log looks like one of the simulated ones. */
  readonly consistent: boolean;
}

export interface FitCheckReport {
  readonly unit: 'clicks per impression (one item at one slot); exposure: share of impressions per item';
  readonly world: { readonly file: string; readonly fitted_on: FittedWorld['log'] };
  readonly truth: { readonly dir: string; readonly policy: string; readonly impressions: number; readonly clicks: number; readonly digest: string };
  readonly policy: {
    readonly kind: FitScenario['policy'];
    readonly priors: string | null;
    readonly campaign: string | null;
    readonly posterior: FitScenario['posterior'] | null;
    readonly batch: number | null;
  };
  readonly settings: { readonly seeds: number; readonly first_seed: number; readonly parameters: FitScenario['parameters']; readonly confidence: number; readonly impressions: number };
  readonly rates: readonly GapRow[];
  readonly exposure: {
    /** TVD between each simulated log's item shares and the truth's. */
    readonly tvd: { readonly mean: number; readonly lo: number; readonly hi: number };
    /** TVD between two resamples of the truth log (rows with replacement): how far two logs of one policy fall apart by chance alone. */
    readonly reference_tvd: { readonly mean: number; readonly lo: number; readonly hi: number };
    /** TVD − reference TVD, seed by seed. */
    readonly excess: { readonly mean: number; readonly lo: number; readonly hi: number };
    /** Per item: the truth's share and the simulated logs' mean share. */
    readonly items: readonly { readonly item: number; readonly real: number; readonly simulated: number }[];
  };
}

export async function checkFittedWorld(request: FitCheckRequest): Promise<FitCheckReport> {
  const { scenario, scenarioFile } = request;
  const worldFile = besideScenario(scenarioFile, scenario.fitted_world);
  const world = await readFittedWorld(worldFile);
  const truth = await readTruth(request.truthDir);
  const digest = logDigest(truth);
  refuseOwnLog(world, worldFile, truth, digest);
  if (truth.slots !== world.slots || truth.items !== world.items) {
    throw new FitError(`${request.truthDir}: ${truth.slots} slots and ${truth.items} items, but the world in ${worldFile} has ${world.slots} and ${world.items}; the truth must come from the same slates`);
  }
  const policy = await policyOf(scenario, scenarioFile, world.items);
  const rows = truth.itemId.length;
  const sampler = samplerOf(world, worldFile);
  const shares = world.segments.map((s) => s.share);
  const real = summarise(truth.itemId, truth.position, truth.clicked, world.slots, world.items);

  const seeds = scenario.seeds;
  const rateNames = ['click rate', ...Array.from({ length: world.slots }, (_, k) => `click rate at slot ${k + 1}`)];
  const simulatedRates = rateNames.map(() => new Float64Array(seeds));
  const tvd = new Float64Array(seeds);
  const meanExposure = new Float64Array(world.items);
  for (let s = 0; s < seeds; s++) {
    const streams = new RandomStreams(scenario.seed + s);
    const parameters = scenario.parameters === 'drawn' ? sampler.drawn(streams.stream('fit-check/parameters')) : sampler.fitted();
    const log = simulateLoggedSetting(parameters, shares, policy, rows, streams);
    const sim = summarise(log.item, log.position, log.clicked, world.slots, world.items);
    sim.rates.forEach((rate, m) => (simulatedRates[m][s] = rate));
    tvd[s] = totalVariation(sim.exposure, real.exposure);
    sim.exposure.forEach((share, i) => (meanExposure[i] += share / seeds));
  }
  const reference = referenceTvd(truth, world.items, seeds, new RandomStreams(scenario.seed).stream('fit-check/reference'));
  const rates = rateNames.map((metric, m): GapRow => {
    const sims = simulatedRates[m];
    const range = percentileInterval(sims, CONFIDENCE);
    const gaps = sims.map((x) => real.rates[m] - x);
    const gap = percentileInterval(gaps, CONFIDENCE);
    const n = m === 0 ? rows : real.shown[m - 1];
    return {
      metric,
      real: real.rates[m],
      real_se: n > 0 ? Math.sqrt((real.rates[m] * (1 - real.rates[m])) / n) : null,
      simulated_mean: mean(sims),
      simulated_lo: range.lo,
      simulated_hi: range.hi,
      gap: real.rates[m] - mean(sims),
      gap_lo: gap.lo,
      gap_hi: gap.hi,
      consistent: gap.lo <= 0 && 0 <= gap.hi,
    };
  });
  const excess = tvd.map((x, s) => x - reference[s]);
  return {
    unit: 'clicks per impression (one item at one slot); exposure: share of impressions per item',
    world: { file: worldFile, fitted_on: world.log },
    truth: { dir: request.truthDir, policy: truth.arm, impressions: rows, clicks: real.clicks, digest },
    policy: {
      kind: scenario.policy,
      priors: scenario.policy === 'bernoulli_thompson' ? scenario.priors : null,
      campaign: scenario.policy === 'bernoulli_thompson' ? scenario.campaign : null,
      posterior: scenario.policy === 'bernoulli_thompson' ? scenario.posterior : null,
      batch: scenario.policy === 'bernoulli_thompson' && scenario.posterior === 'updated' ? scenario.batch : null,
    },
    settings: { seeds, first_seed: scenario.seed, parameters: scenario.parameters, confidence: CONFIDENCE, impressions: rows },
    rates,
    exposure: {
      tvd: summary(tvd),
      reference_tvd: summary(reference),
      excess: summary(excess),
      items: Array.from(meanExposure, (simulated, item) => ({ item, real: real.exposure[item], simulated })),
    },
  };
}

/** A check against the log the world was fitted on measures the fit, not the world: refused, whatever folder the log sits in. */
function refuseOwnLog(world: FittedWorld, worldFile: string, truth: LoggedRounds, digest: string): void {
  const sameFolder = resolve(world.log.dir) === resolve(truth.dir);
  if (sameFolder || world.log.digest === digest) {
    throw new FitError(
      `${truth.dir}: the world in ${worldFile} was fitted on this log (${sameFolder ? 'the same folder' : `the same rows, digest ${digest}`}); ` +
        'a world matching its own log is no validation; check it against a log another policy served on the same traffic',
    );
  }
}

async function readTruth(dir: string): Promise<LoggedRounds> {
  try {
    return await readImportedLog(dir);
  } catch (error) {
    if (error instanceof OpeLogError) throw new FitError(error.message);
    throw error;
  }
}

async function policyOf(scenario: FitScenario, file: string, items: number): Promise<SimulatedPolicy> {
  if (scenario.policy === 'uniform') return { kind: 'uniform' };
  if (scenario.priors === null || scenario.campaign === null) throw new FitError(`${file}: policy: bernoulli_thompson needs priors and campaign`);
  let priors;
  try {
    priors = await readBetaPriors(scenario.priors, scenario.campaign);
  } catch (error) {
    if (error instanceof OpeLogError) throw new FitError(error.message);
    throw error;
  }
  if (priors.alpha.length !== items) throw new FitError(`${scenario.priors}: ${scenario.campaign} has priors for ${priors.alpha.length} items, but the fitted world has ${items}`);
  return { kind: 'bernoulli_thompson', alpha: priors.alpha, beta: priors.beta, ...(scenario.posterior === 'updated' ? { batch: scenario.batch } : {}) };
}

function samplerOf(world: FittedWorld, file: string): WorldSampler {
  try {
    return new WorldSampler(world);
  } catch (error) {
    throw new FitError(`${file}: log_parameters.covariance: ${error instanceof Error ? error.message : String(error)}; expected a positive-definite matrix`);
  }
}

interface LogSummary {
  /** Overall click rate, then each slot's. */
  readonly rates: number[];
  readonly shown: number[];
  readonly clicks: number;
  /** Each item's share of the impressions. */
  readonly exposure: Float64Array;
}

function summarise(item: ArrayLike<number>, position: ArrayLike<number>, clicked: ArrayLike<number>, slots: number, items: number): LogSummary {
  const n = item.length;
  const shown = new Array<number>(slots).fill(0);
  const slotClicks = new Array<number>(slots).fill(0);
  const exposure = new Float64Array(items);
  let clicks = 0;
  for (let r = 0; r < n; r++) {
    shown[position[r]]++;
    slotClicks[position[r]] += clicked[r];
    clicks += clicked[r];
    exposure[item[r]] += 1 / n;
  }
  return { rates: [clicks / n, ...slotClicks.map((c, k) => (shown[k] > 0 ? c / shown[k] : Number.NaN))], shown, clicks, exposure };
}

function totalVariation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / 2;
}

/** TVD between the item shares of two independent resamples of the truth log, `count` times. */
function referenceTvd(truth: LoggedRounds, items: number, count: number, rng: Rng): Float64Array {
  const n = truth.itemId.length;
  const out = new Float64Array(count);
  const weights = new Int32Array(n);
  const shares = (): Float64Array => {
    resampleCounts(n, rng, weights);
    const exposure = new Float64Array(items);
    for (let r = 0; r < n; r++) exposure[truth.itemId[r]] += weights[r] / n;
    return exposure;
  };
  for (let b = 0; b < count; b++) out[b] = totalVariation(shares(), shares());
  return out;
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

function summary(values: Float64Array): { mean: number; lo: number; hi: number } {
  const range = percentileInterval(values, CONFIDENCE);
  return { mean: mean(values), lo: range.lo, hi: range.hi };
}
