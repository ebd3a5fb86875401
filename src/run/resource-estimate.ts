/**
 * How much memory and time a scenario will take, from its sizes and settings, before any work
 * starts: users and items (with sign-ups and uploads over the horizon), the impressions its busiest
 * log window holds and all it serves (the traffic reckoned day by day, ./traffic-estimate.ts), and
 * the two-stage pipeline's models and index. The constants are fitted to measured
 * peaks (docs/PERFORMANCE.md, "Resource estimate"); the estimate is meant to be within a factor
 * of two of a run's peak RSS, enough to refuse a run that cannot fit long before it fails.
 */
import { availableParallelism } from 'node:os';
import type { KeyPath } from '../settings/problem.js';
import { isBanditScenario, type AnyScenario, type BanditScenario, type Scenario } from '../scenario/index.js';
import { estimateTraffic } from './traffic-estimate.js';
import { IMPRESSION_ROW_BYTES, SLATE_ROW_BYTES } from '../training/impression-buffer.js';

const MIB = 2 ** 20;

/** The process before the world is built: Node, the loaded modules, DuckDB (popularity runs: 288 MiB measured). */
const BASE_BYTES = 260 * MIB;
/** Added by the two-stage pipeline: model runtimes (tfjs, ONNX Runtime) and their working buffers. */
const MODEL_BASE_BYTES = 300 * MIB;
/** One user's hidden state, public record and the metrics' per-user figures, on V8's heap, besides the per-topic arrays (measured: 200k users, 1.4 KB each with 20 topics). */
const USER_BYTES = 1_150;
/** One item's hidden state and public record, besides the per-topic and latent arrays (measured: 200k items, 1.2 KB each). */
const ITEM_BYTES = 1_150;
/**
 * An impression row held in the log window, off V8's heap (typed columns): its columns with the
 * buffers' doubling slack, the epoch being filled and the Parquet writer's copy (fitted to the
 * T-RECS 10k case: 1.4M rows held, 270–370 MiB above the base with 68 bytes a row in the log,
 * 150 bytes a row then; its peak fell by 64 MiB when the slates' columns went to one row a slate).
 */
const IMPRESSION_BYTES = 100;
/** Per item and embedding dimension in the two-stage pipeline: item embeddings, the index's copy, its links. */
const EMBEDDED_ITEM_BYTES_PER_DIM = 12;
/** Per user in the two-stage pipeline: click histories, engagement and slate contexts. */
const PIPELINE_USER_BYTES = 1_500;
/** Impressions a second, by recommender kind (docs/PERFORMANCE.md: 750k popularity, 35k two-stage). */
const IMPRESSIONS_PER_SECOND: Readonly<Record<string, number>> = { popularity: 600_000, random: 600_000, oracle: 200_000, two_stage: 30_000 };
const OTHER_IMPRESSIONS_PER_SECOND = 100_000;
/** Bandit rounds a second, and bytes per arm. */
const BANDIT_ROUNDS_PER_SECOND = 1_000_000;
const ARM_BYTES = 200;
const COUNTRY_BYTES = 40;

/** A run's estimated needs: peak memory of its process, the part of it on V8's heap, and wall time. */
export interface ResourceEstimate {
  readonly peakBytes: number;
  readonly heapBytes: number;
  /** The part of `peakBytes` that a run split over threads holds once, whatever their number: the log window's rows. */
  readonly sharedBytes: number;
  readonly seconds: number;
  /** The term that dominates the estimate, to name in a message: a scenario field and what it counts. */
  readonly largest: { readonly path: KeyPath; readonly what: string };
}

interface Term {
  readonly bytes: number;
  readonly path: KeyPath;
  readonly what: string;
}

/** The estimate for one run of `scenario` (one arm, one seed). */
export function estimateRun(scenario: AnyScenario): ResourceEstimate {
  return isBanditScenario(scenario) ? estimateBandit(scenario) : estimatePopulation(scenario);
}

function estimatePopulation(scenario: Scenario): ResourceEstimate {
  const { world, recommender } = scenario;
  const days = scenario.horizon.days;
  const users = world.users.count + world.users.signups_per_day * days;
  const items = world.items.count + world.items.uploads_per_day * days;
  const userBytes = USER_BYTES + 12 * world.topics + 4 * world.latent_dim;
  const itemBytes = ITEM_BYTES + 12 * world.items.topics_per_item + 4 * world.latent_dim;
  const traffic = estimateTraffic(scenario);
  const windowDays = Math.min(recommender.retrain.window, days);
  const impressionsHeld = traffic.busiestWindow * recommender.slate_size;
  // Named at the field that makes most of the users (items): the count, or the sign-ups (uploads) over the horizon.
  const usersPath: KeyPath = ['world', 'users', world.users.count >= world.users.signups_per_day * days ? 'count' : 'signups_per_day'];
  const itemsPath: KeyPath = ['world', 'items', world.items.count >= world.items.uploads_per_day * days ? 'count' : 'uploads_per_day'];
  const terms: Term[] = [
    { bytes: users * userBytes, ...perUser(world, users, usersPath) },
    {
      bytes: items * itemBytes,
      ...(4 * world.latent_dim > ITEM_BYTES
        ? { path: ['world', 'latent_dim'], what: `${count(items)} items' ${count(world.latent_dim)}-dimensional latent vectors` }
        : { path: itemsPath, what: `${count(items)} items` }),
    },
    // The countries' shares and their alias table.
    { bytes: world.users.countries * COUNTRY_BYTES, path: ['world', 'users', 'countries'], what: `${count(world.users.countries)} countries` },
  ];
  const impressionBytes = impressionsHeld * IMPRESSION_BYTES;
  let base = BASE_BYTES;
  if (recommender.kind === 'two_stage') {
    base += MODEL_BASE_BYTES;
    const dim = recommender.two_tower.dim;
    terms.push({ bytes: items * dim * EMBEDDED_ITEM_BYTES_PER_DIM, path: dim > 256 ? ['recommender', 'two_tower', 'dim'] : itemsPath, what: `${count(items)} item embeddings of ${count(dim)} dimensions` });
    terms.push({ bytes: users * (PIPELINE_USER_BYTES + 8 * recommender.two_tower.history), path: usersPath, what: `${count(users)} users' histories` });
  }
  const heapBytes = terms.reduce((sum, term) => sum + term.bytes, 0);
  // Traffic grows with the population: the users are what to cut, not the window.
  const offHeap: Term = {
    bytes: impressionBytes,
    path: usersPath,
    what: `the ${count(impressionsHeld)} impressions ${count(users)} users see in a ${count(windowDays)}-day log window`,
  };
  const largest = [...terms, offHeap].reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const impressions = traffic.slates * recommender.slate_size;
  const rate = IMPRESSIONS_PER_SECOND[recommender.kind] ?? OTHER_IMPRESSIONS_PER_SECOND;
  return {
    peakBytes: base + heapBytes + impressionBytes,
    heapBytes,
    sharedBytes: impressionsHeld * (IMPRESSION_ROW_BYTES + SLATE_ROW_BYTES / recommender.slate_size),
    seconds: impressions / rate,
    largest: { path: largest.path, what: largest.what },
  };
}

/**
 * The estimate for a run split by users over `workers` threads on a machine that runs `cores` at
 * once: each holds its own world and recommender (and fills its share of each epoch), the merged
 * log window sits in memory they share. The time falls by the square root of the threads that run
 * at once (two threads measured 1.3–1.6× one: they wait for each other at every epoch's end and
 * share the memory bus).
 */
export function splitOverThreads(estimate: ResourceEstimate, workers: number, cores = availableParallelism()): ResourceEstimate {
  return {
    ...estimate,
    peakBytes: (estimate.peakBytes - estimate.sharedBytes) * workers + estimate.sharedBytes,
    seconds: estimate.seconds / Math.sqrt(Math.max(1, Math.min(workers, cores))),
  };
}

/** The users' term is named at what makes each user large (many topics, many latent dimensions) or else at how many there are. */
function perUser(world: Scenario['world'], users: number, usersPath: KeyPath): { path: KeyPath; what: string } {
  const topicBytes = 12 * world.topics;
  const latentBytes = 4 * world.latent_dim;
  if (topicBytes > USER_BYTES && topicBytes >= latentBytes) return { path: ['world', 'topics'], what: `${count(users)} users' tastes over ${count(world.topics)} topics` };
  if (latentBytes > USER_BYTES) return { path: ['world', 'latent_dim'], what: `${count(users)} users' ${count(world.latent_dim)}-dimensional latent tastes` };
  return { path: usersPath, what: `${count(users)} users` };
}

function estimateBandit(scenario: BanditScenario): ResourceEstimate {
  const { arms, rounds } = scenario.world;
  const armCount = Array.isArray(arms) ? arms.length : arms.count;
  const heapBytes = armCount * ARM_BYTES;
  return {
    peakBytes: BASE_BYTES + heapBytes,
    heapBytes,
    sharedBytes: 0,
    seconds: rounds / BANDIT_ROUNDS_PER_SECOND,
    largest: { path: ['world', 'arms'], what: `${count(armCount)} arms` },
  };
}

/** `n` rounded for a message: 1,000,000,000,000 stays readable as 1.0e12 beyond a billion. */
function count(n: number): string {
  if (!Number.isFinite(n)) return 'countless';
  const whole = Math.round(n);
  return whole >= 1e9 ? whole.toExponential(1).replace('e+', 'e') : whole.toLocaleString('en-US');
}
