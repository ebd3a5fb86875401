/**
 * Counterfactual replay: a finished run's sessions served again, in a twin world (its scenario and
 * seed), by the run's own design and by the design with its candidate set widened (by default a
 * topic-spread source). Both replays serve exactly the logged requests at the logged times
 * (simulation/replayed-traffic.ts), so the gap between them is what the wider candidate set
 * changes in what the same users were shown and how they answered it — not a change in who came
 * back. Replaying the run's own design as well, rather than reading the run's figures, keeps
 * both sides under the same replay; the run's own figures are kept beside them to show how
 * close the replay of its design comes to it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { epochMean, type MetricRow } from '../metrics/index.js';
import { loadScenario, type LoadOptions, type Scenario } from '../scenario/index.js';
import { RUN_FILES, runScenario, type RunOptions, type RunOutcome } from '../run/run-scenario.js';
import { StagedOutput } from '../run/output-dir.js';
import { readMetricsRows } from '../query/run-files.js';
import { readTraffic } from './read-traffic.js';
import { ReplayInputError } from './replay-input-error.js';

export { ReplayInputError };

/** What the replay compares: the spread of what users see, and how they answered it. */
export const REPLAY_METRICS = {
  diversity: ['user_topic_entropy_median', 'user_topic_entropy_p10', 'intra_list_diversity', 'catalog_coverage', 'impression_gini', 'long_tail_share', 'recommended_popularity', 'homogenization'],
  satisfaction: ['ctr', 'mean_true_satisfaction', 'watch_minutes_per_impression', 'mean_session_satisfaction'],
} as const;

/** The candidate source a replay adds when it is told nothing else. */
export const DEFAULT_ADDED_SOURCE = '{source: topic_spread}';

export interface ReplayGap {
  readonly metric: string;
  readonly group: keyof typeof REPLAY_METRICS;
  /** Means over the measured epochs: the run as it was, its design replayed, the widened design replayed. */
  readonly run: number | null;
  readonly replayed: number | null;
  readonly widened: number | null;
  /** widened − replayed, and that over |replayed|. */
  readonly gap: number | null;
  readonly relative: number | null;
  /** widened − replayed per measured epoch. */
  readonly per_epoch: readonly (number | null)[];
}

export interface ReplayDocument {
  readonly run: string;
  readonly scenario: string;
  readonly seed: number;
  /** Slates replayed (the run's logged requests). */
  readonly slates: number;
  /** The overrides that make the widened design. */
  readonly widened_by: readonly string[];
  /** Epochs from this day on are measured (the end of the random start-up). */
  readonly measure_from: number;
  readonly gaps: readonly ReplayGap[];
}

export interface ReplayOptions {
  readonly runDir: string;
  readonly outDir: string;
  readonly force?: boolean;
  /** Candidate source entries (flow YAML) added to the design's candidates. */
  readonly addSources: readonly string[];
  /** Further overrides of the widened design (`--set`). */
  readonly overrides: readonly string[];
  readonly load?: LoadOptions;
  /** Runs each replay (the CLI wraps it in a progress display). */
  readonly simulate?: (label: 'replayed' | 'widened', scenario: Scenario, options: RunOptions) => Promise<RunOutcome>;
}

export const REPLAY_FOLDERS = { replayed: 'replayed', widened: 'widened', document: 'replay.json' } as const;

export async function replayRun(options: ReplayOptions): Promise<{ dir: string; document: ReplayDocument }> {
  const { runDir } = options;
  const scenarioFile = join(runDir, RUN_FILES.scenario);
  if (!existsSync(scenarioFile)) throw new ReplayInputError(`${runDir}: not a run folder (no ${RUN_FILES.scenario}); give the folder recloop run wrote`);
  const traffic = await readTraffic(runDir);
  const original = await loadScenario(scenarioFile, ['logs.impressions=false'], options.load);
  const widenedBy = widening(original, options.addSources, options.overrides, scenarioFile);
  const widened = await loadScenario(scenarioFile, ['logs.impressions=false', ...widenedBy], options.load);
  const runRows = await readMetricsRows(runDir);
  const simulate = options.simulate ?? ((_label, scenario, runOptions) => runScenario(scenario, runOptions));
  const output = await StagedOutput.create(options.outDir, options.force ?? false, 'replay');
  try {
    const replayed = await simulate('replayed', original, { outDir: join(output.dir, REPLAY_FOLDERS.replayed), traffic });
    const widenedRun = await simulate('widened', widened, { outDir: join(output.dir, REPLAY_FOLDERS.widened), traffic });
    const measureFrom = original.recommender.random_startup;
    const document: ReplayDocument = {
      run: runDir,
      scenario: original.name,
      seed: original.seed,
      slates: traffic.size,
      widened_by: widenedBy,
      measure_from: measureFrom,
      gaps: replayGaps(measured(runRows, measureFrom), measured(replayed.rows, measureFrom), measured(widenedRun.rows, measureFrom)),
    };
    await writeFile(join(output.dir, REPLAY_FOLDERS.document), `${JSON.stringify(document, null, 2)}\n`);
    await output.commit();
    return { dir: output.finalDir, document };
  } catch (error) {
    await output.discard();
    throw error;
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

export function replayGaps(run: readonly MetricRow[], replayed: readonly MetricRow[], widened: readonly MetricRow[]): ReplayGap[] {
  const gaps: ReplayGap[] = [];
  for (const group of ['diversity', 'satisfaction'] as const) {
    for (const metric of REPLAY_METRICS[group]) {
      const mean = (rows: readonly MetricRow[]): number | null => epochMean(metric, rows) ?? null;
      const before = mean(replayed);
      const after = mean(widened);
      const gap = before !== null && after !== null ? after - before : null;
      gaps.push({
        metric,
        group,
        run: mean(run),
        replayed: before,
        widened: after,
        gap,
        relative: gap !== null && before !== null && before !== 0 ? gap / Math.abs(before) : null,
        per_epoch: widened.map((row, e) => {
          const a = epochMean(metric, [row]);
          const b = replayed[e] === undefined ? undefined : epochMean(metric, [replayed[e]]);
          return a !== undefined && b !== undefined ? a - b : null;
        }),
      });
    }
  }
  return gaps;
}
