/**
 * Counterfactual replay: finished runs' sessions served again, each in its twin world (its
 * scenario and seed), by the runs' own design and by the design with its candidate set widened
 * (by default a topic-spread source). Both replays serve exactly the logged requests at the
 * logged times (simulation/replayed-traffic.ts), so the gap between them is what the wider
 * candidate set changes in what the same users were shown and how they answered it — not a
 * change in who came back. Replaying the run's own design as well, rather than reading the run's
 * figures, keeps both sides under the same replay; the run's own figures are kept beside them to
 * show how far the replay of its design strays from it. Runs of one scenario with different
 * seeds are replicas: the gap gets a 95% interval over them (replay-gaps.ts).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadScenario, type LoadOptions, type Scenario } from '../scenario/index.js';
import { RUN_FILES, runScenario, type RunOptions, type RunOutcome } from '../run/run-scenario.js';
import { StagedOutput } from '../run/output-dir.js';
import { readMetricsRows } from '../query/run-files.js';
import type { MetricRow } from '../metrics/index.js';
import { readTraffic } from './read-traffic.js';
import { replayGaps, type ReplayGap, type ReplayedRows } from './replay-gaps.js';
import { ReplayInputError } from './replay-input-error.js';

export { ReplayInputError };

/** The candidate source a replay adds when it is told nothing else. */
export const DEFAULT_ADDED_SOURCE = '{source: topic_spread}';

export interface ReplayDocument {
  readonly scenario: string;
  /** The replayed runs: folder, seed and slates replayed (its logged requests). */
  readonly runs: readonly { readonly run: string; readonly seed: number; readonly slates: number }[];
  /** The overrides that make the widened design. */
  readonly widened_by: readonly string[];
  /** Epochs from this day on are measured (the end of the random start-up). */
  readonly measure_from: number;
  readonly gaps: readonly ReplayGap[];
}

export interface ReplayOptions {
  /** Run folders of one scenario, differing only in their seed. */
  readonly runDirs: readonly string[];
  readonly outDir: string;
  readonly force?: boolean;
  /** Candidate source entries (flow YAML) added to the design's candidates. */
  readonly addSources: readonly string[];
  /** Further overrides of the widened design (`--set`). */
  readonly overrides: readonly string[];
  readonly load?: LoadOptions;
  /** Runs each replay (the CLI wraps it in a progress display). */
  readonly simulate?: (label: string, scenario: Scenario, options: RunOptions) => Promise<RunOutcome>;
}

/** Each replay is `<replayed|widened>/seed-<seed>/`, a run folder. */
export const REPLAY_FOLDERS = { replayed: 'replayed', widened: 'widened', document: 'replay.json' } as const;

export async function replayRuns(options: ReplayOptions): Promise<{ dir: string; document: ReplayDocument; folders: readonly string[] }> {
  const { runDirs } = options;
  if (runDirs.length === 0) throw new ReplayInputError('give the run folder to replay');
  await checkReplicas(runDirs);
  const simulate = options.simulate ?? ((_label, scenario, runOptions) => runScenario(scenario, runOptions));
  const prepared = [];
  for (const runDir of runDirs) prepared.push(await prepare(runDir, options));
  const output = await StagedOutput.create(options.outDir, options.force ?? false, 'replay');
  try {
    const rows: ReplayedRows[] = [];
    const folders: string[] = [];
    for (const { original, widened, traffic, runRows } of prepared) {
      const seed = `seed-${original.seed}`;
      const replayedDir = join(output.dir, REPLAY_FOLDERS.replayed, seed);
      const widenedDir = join(output.dir, REPLAY_FOLDERS.widened, seed);
      const replayed = await simulate(`replayed ${seed}`, original, { outDir: replayedDir, traffic });
      const widenedRun = await simulate(`widened ${seed}`, widened, { outDir: widenedDir, traffic });
      const from = original.recommender.random_startup;
      rows.push({ run: measured(runRows, from), replayed: measured(replayed.rows, from), widened: measured(widenedRun.rows, from) });
      folders.push(join(REPLAY_FOLDERS.replayed, seed), join(REPLAY_FOLDERS.widened, seed));
    }
    const first = prepared[0];
    const document: ReplayDocument = {
      scenario: first.original.name,
      runs: prepared.map(({ runDir, original, traffic }) => ({ run: runDir, seed: original.seed, slates: traffic.size })),
      widened_by: first.widenedBy,
      measure_from: first.original.recommender.random_startup,
      gaps: replayGaps(rows),
    };
    await writeFile(join(output.dir, REPLAY_FOLDERS.document), `${JSON.stringify(document, null, 2)}\n`);
    await output.commit();
    return { dir: output.finalDir, document, folders: folders.map((folder) => join(output.finalDir, folder)) };
  } catch (error) {
    await output.discard();
    throw error;
  }
}

/** A run's scenario, its widened twin and its logged traffic, read before anything is written. */
async function prepare(runDir: string, options: ReplayOptions) {
  const scenarioFile = join(runDir, RUN_FILES.scenario);
  const traffic = await readTraffic(runDir);
  const original = await loadScenario(scenarioFile, ['logs.impressions=false'], options.load);
  const widenedBy = widening(original, options.addSources, options.overrides, scenarioFile);
  const widened = await loadScenario(scenarioFile, ['logs.impressions=false', ...widenedBy], options.load);
  const runRows = await readMetricsRows(runDir);
  return { runDir, original, widened, widenedBy, traffic, runRows };
}

/** Every folder is a run of one scenario, and no two share a seed: they are replicas. */
async function checkReplicas(runDirs: readonly string[]): Promise<void> {
  const seen = new Map<string, string>();
  let design: { dir: string; text: string } | undefined;
  for (const dir of runDirs) {
    const file = join(dir, RUN_FILES.scenario);
    if (!existsSync(file)) throw new ReplayInputError(`${dir}: not a run folder (no ${RUN_FILES.scenario}); give the folder recloop run wrote`);
    const text = await readFile(file, 'utf8');
    const seed = /^seed: *(\S+)$/m.exec(text)?.[1] ?? '';
    const other = seen.get(seed);
    if (other !== undefined) throw new ReplayInputError(`${dir} and ${other} are runs of the same seed (${seed}); replicas need different seeds`);
    seen.set(seed, dir);
    const withoutSeed = text.replace(/^seed: *\S+$/m, '');
    if (design === undefined) design = { dir, text: withoutSeed };
    else if (design.text !== withoutSeed) throw new ReplayInputError(`${dir} and ${design.dir} differ in more than their seed; replay runs of one scenario together`);
  }
}

/** The overrides that widen the design: the added sources after the design's own, then `--set`. */
function widening(scenario: Scenario, addSources: readonly string[], overrides: readonly string[], file: string): string[] {
  const adds = addSources.length === 0 && overrides.length === 0 ? [DEFAULT_ADDED_SOURCE] : addSources;
  if (adds.length === 0) return [...overrides];
  if (scenario.recommender.kind !== 'two_stage') {
    throw new ReplayInputError(`${file}: recommender.kind is ${scenario.recommender.kind}; only a two_stage recommender has candidate sources to add to (use --set to change another design)`);
  }
  // JSON is YAML flow: the resolved entries as they are, then the added ones as written.
  const own = scenario.recommender.candidates.map((entry) => JSON.stringify(entry));
  return [`recommender.candidates=[${[...own, ...adds].join(', ')}]`, ...overrides];
}

function measured(rows: readonly MetricRow[], from: number): MetricRow[] {
  return rows.filter((row) => (row.day_start ?? 0) >= from);
}
