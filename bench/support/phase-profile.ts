/**
 * Where the loop's time goes, from a V8 CPU profile (node:inspector's sampling profiler): each
 * sample is charged to a phase by its call stack, with no timer in the code under test.
 *
 * A sample's phase is read from the deepest frame in recloop's own source that is not a helper
 * (rng, ml and the request's draws: they belong to their caller), so time inside tfjs, hnswlib or V8 builtins goes to
 * the recloop code that called them. Anything below a `retrain` is training, split by the file
 * whose retrain it is (the innermost one) (two-tower, ranker, the ANN index build, the rest); the serving path is split by
 * the file doing the work (each candidate source, retrieval, ranker, re-ranker, policy), and the
 * world, metrics, log and event loop by theirs. Garbage collection is its own phase.
 */
export interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  /** Microseconds on a clock the process's threads share; the first sample is timeDeltas[0] after it. */
  readonly startTime?: number;
}

/** recloop's own path of a frame (e.g. recommender/sources/popularity.ts), or undefined outside src/. */
function ownPath(url: string): string | undefined {
  const at = url.lastIndexOf('/src/');
  return at < 0 || url.includes('/node_modules/') ? undefined : url.slice(at + 5);
}

/** Helpers charged to their caller. */
const TRANSPARENT = /^(rng|ml)\/|^recommender\/request-draws\.ts$/;

function servingPhase(path: string): string {
  const source = /^recommender\/sources\/([\w-]+)\.ts$/.exec(path);
  if (source) return `source: ${source[1]}`;
  if (path.startsWith('recommender/two-tower/')) return 'two-tower serving';
  if (path.startsWith('recommender/retrieval/')) return 'retrieval';
  if (path.startsWith('recommender/ranking/')) return 'ranker serving';
  if (path.startsWith('recommender/rerank/')) return 're-rank';
  if (path.startsWith('recommender/explore/')) return 'policy';
  if (path.startsWith('recommender/')) return 'pipeline';
  if (path.startsWith('world/') || path === 'simulation/sessions.ts') return 'world';
  if (path.startsWith('metrics/')) return 'metrics';
  if (path.startsWith('training/')) return 'logging';
  return 'loop';
}

function trainingPhase(retrainer: string, deepest: string | undefined): string {
  if (deepest?.startsWith('recommender/retrieval/')) return 'index build';
  if (retrainer.startsWith('recommender/two-tower/')) return 'two-tower training';
  if (retrainer.startsWith('recommender/ranking/')) return 'ranker training';
  return 'other retraining';
}

/** Seconds per phase over the profile. */
export function phaseSeconds(profile: CpuProfile): Record<string, number> {
  const phases = samplePhases(profile);
  const seconds: Record<string, number> = {};
  phases.forEach((p, k) => {
    seconds[p] = (seconds[p] ?? 0) + (profile.timeDeltas[k] ?? 0) / 1e6;
  });
  return seconds;
}

/**
 * Seconds per phase in consecutive bins of `bin` seconds from `origin` (microseconds on the
 * profile's clock; its own start by default): what a thread did when. Profiles of a run's
 * threads share the clock, so one origin lines their timelines up.
 */
export function phaseTimeline(profile: CpuProfile, bin: number, origin = profile.startTime ?? 0): Record<string, number>[] {
  const phases = samplePhases(profile);
  const bins: Record<string, number>[] = [];
  let time = profile.startTime ?? 0;
  phases.forEach((p, k) => {
    const delta = profile.timeDeltas[k] ?? 0;
    time += delta;
    const at = Math.max(0, Math.floor((time - origin) / 1e6 / bin));
    while (bins.length <= at) bins.push({});
    bins[at][p] = (bins[at][p] ?? 0) + delta / 1e6;
  });
  return bins;
}

/** The phase of each sample, in order. */
function samplePhases(profile: CpuProfile): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const phaseOf = new Map<number, string>();
  const phase = (id: number): string => {
    const known = phaseOf.get(id);
    if (known) return known;
    let deepest: string | undefined;
    let retrainer: string | undefined;
    let special: string | undefined;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url } = byId.get(at)?.callFrame ?? { functionName: '', url: '' };
      if (at === id && functionName.startsWith('(')) special = functionName;
      const path = ownPath(url);
      if (path === undefined || TRANSPARENT.test(path)) continue;
      deepest ??= path;
      // The innermost retrain on the stack names what is being trained (the pipeline's own
      // retrain only calls its stages'; after an await only the resumed one is on the stack).
      if (functionName === 'retrain' || functionName.endsWith('.retrain')) retrainer ??= path;
    }
    let result: string;
    if (special === '(garbage collector)') result = 'garbage collection';
    else if (special === '(idle)' || special === '(program)') result = 'idle / V8';
    else if (retrainer !== undefined) result = trainingPhase(retrainer, deepest);
    else result = deepest === undefined ? 'outside recloop' : servingPhase(deepest);
    phaseOf.set(id, result);
    return result;
  };
  return profile.samples.map(phase);
}
