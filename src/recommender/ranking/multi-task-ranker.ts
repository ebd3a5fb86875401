/**
 * Stage two of the two-stage recommender: a multi-task neural ranker (DCN-V2 or MMoE) that
 * predicts one probability per configured head for every candidate, calibrates each head, and
 * combines them with the scenario's score formula.
 *
 * - observe(): keeps users' click histories and each slate's request context, in real time.
 * - retrain(): replays the log window into examples (training-set.ts), trains (warm-started from
 *   the previous weights and optimizer state), fits one calibrator per head on that head's
 *   held-out most recent examples, and records ECE before/after and AUC per head.
 * - score(): one batched forward pass over every candidate of every request in the batch, with
 *   position fixed at 0 (position bias is learned by the position tower and left out).
 *
 * Before the first retrain there is no model: score() returns each candidate's source score
 * unchanged (the pipeline then orders as it would without a ranker), and predictHeads() returns
 * 0.5 for every head.
 *
 * exportRepresentation(head) makes score() also keep, from the same forward pass, the layer that
 * head reads for every scored candidate (representation.ts), for a contextual exploration policy.
 */
import { Adam } from '../../ml/adam.js';
import { initBackend } from '../../ml/backend.js';
import { KeyedStream, type Rng } from '../../rng/index.js';
import type { RankerHead } from './heads.js';
import type { TrainingLog } from '../../training/training-log.js';
import { UserHistory } from '../../training/user-history.js';
import type { PublicCatalog, PublicUsers } from '../../world/public.js';
import type { Candidate, Ranker, RecommenderDiagnostics, RecRequest, ServingTally, SlateFeedback } from '../types.js';
import { auc } from './auc.js';
import { expectedCalibrationError, IdentityCalibrator, reliabilityBins, sigmoid, type Calibrator, type ReliabilityBin } from './calibration.js';
import { crossFittedPredictions, fitCalibrator } from './calibrators.js';
import type { RankerConfig } from './config.js';
import { FeatureWriter, featureLayout, topicCount, UserSummary, type FeatureLayout } from './features.js';
import { FrozenItemStats, ItemStats, type ItemStatsState } from './item-stats.js';
import { RankerModel } from './model.js';
import { PreRanker } from './pre-ranker.js';
import { ServingRows } from './serving-rows.js';
import { RepresentationExport, type RankerRepresentation } from './representation.js';
import { compileScoreFormula, FormulaError, type CompiledFormula, type ScoreParams } from './score-formula.js';
import { Standardizer } from './standardizer.js';
import { UserEngagement } from './user-engagement.js';
import { initHeadBias, train, trainingRows, type TrainingData, type TrainingRun } from './trainer.js';
import { checkTrained, DivergenceError, type RetrainPoint } from '../../ml/divergence.js';
import { buildTrainingSet, type TrainingSet } from './training-set.js';
import { TrainingReplay } from './training-replay.js';
import type { CalibrationFit, RankerState } from './ranker-state.js';
import { trainedStates } from '../trained-states.js';

const RANKER_HINT = 'lower recommender.ranker.learning_rate, or look for features or labels that are not finite';
/** Published instead of a state when the training thread threw a diverged retrain away. */
const KEPT_LAST = 'kept_last';
/** Logits a calibrator is checked on after fitting: the middle and both tails. */
const CALIBRATION_PROBES = [-20, -2, 0, 2, 20];

/** Recent clicks per user that the features summarise. */
export const RANKER_HISTORY_LENGTH = 30;
/** Most recent held-out rows whose representation a retrain exports (bounds the policy's rebuild). */
export const EXPORTED_RECENT_ROWS = 5_000;
/** Most recent training rows whose ranker scores the pre-ranker is fitted to. */
export const PRERANK_FIT_ROWS = 20_000;
/** About one request in this many is scored in full, to measure the cascade's recall. */
export const PRERANK_RECALL_EVERY = 50;
const RECALL_SAMPLE = new KeyedStream('prerank-recall');

/**
 * Whether the cascade's recall is measured on this request: drawn by the request's identity (user,
 * session, request in the session), not its slate id, which a run split by users gives only
 * when the epochs merge.
 */
export function sampledForRecall(request: RecRequest): boolean {
  return RECALL_SAMPLE.at(request.userId, request.pastSessions, request.requestInSession).next() < 1 / PRERANK_RECALL_EVERY;
}
/** The depth of the ranker's own list the recall is measured at. */
export const PRERANK_RECALL_DEPTH = 10;

export interface MultiTaskRankerOptions {
  /** Number of topic ids; default: one more than the largest tag in the catalog at construction. */
  readonly topics?: number;
}

/** Calibrated (or raw-sigmoid) predictions of one request's candidates, per configured head. */
export type HeadPredictions = ReadonlyMap<RankerHead, Float64Array>;

/** Quality figures of one head on its holdout, from the last retrain. */
export interface HeadReport {
  readonly head: RankerHead;
  /** Held-out rows the figures are measured on. */
  readonly holdout: number;
  readonly eceRaw: number;
  /** ECE of cross-fitted calibrated predictions (5 folds over the holdout). */
  readonly eceCalibrated: number;
  /** AUC of the raw logits (calibration is monotone; isotonic steps would only add ties). */
  readonly auc: number;
  readonly rawBins: readonly ReliabilityBin[];
  readonly calibratedBins: readonly ReliabilityBin[];
}

/** Reliability tables per head, in the shape of the report's calibration.json (recloop-calibration/1). */
export interface CalibrationTables {
  readonly format: 'recloop-calibration/1';
  readonly day: number;
  readonly method: string;
  readonly heads: Readonly<Record<string, { readonly raw: { ece: number; bins: readonly ReliabilityBin[] }; readonly calibrated: { ece: number; bins: readonly ReliabilityBin[] } }>>;
}

export class MultiTaskRanker implements Ranker {
  readonly name = 'multi_task';
  readonly heads: readonly RankerHead[];
  readonly layout: FeatureLayout;
  private readonly formula: CompiledFormula;
  private readonly writer: FeatureWriter;
  private readonly history = new UserHistory(RANKER_HISTORY_LENGTH);
  private readonly engagement: UserEngagement;
  /** The log replayed into features, carried from retrain to retrain. */
  private readonly replay: TrainingReplay;
  private model: RankerModel | null = null;
  /** Adam's state, carried from retrain to retrain with the weights (a warm start). */
  private optimizer: Adam | null = null;
  private standardizer: Standardizer | null = null;
  /** Item statistics as of the last retrain, read by serving until the next one. */
  private stats: FrozenItemStats | null = null;
  /** Feature rows of the batch being served (reused: see servingFeatures). */
  private servingRows = new Float32Array(0);
  /** Writes them standardized; remade if the standardizer is. */
  private rowWriter: ServingRows | null = null;
  private servingSummary: UserSummary | null = null;
  private calibrators: Calibrator[];
  /** The rows each calibrator was fitted on (null: none, the identity). */
  private calibrationFits: (CalibrationFit | null)[];
  private reports: HeadReport[] = [];
  private lastRun: TrainingRun | null = null;
  private trainedAt = 0;
  private trainExamples = 0;
  private serving = { candidates: 0, seconds: 0 };
  private exported: RepresentationExport | null = null;
  private servedLastEpoch = { candidates: 0, seconds: 0 };
  private readonly preRanker: PreRanker | null;
  private cascadeLastEpoch = { recall: 0, keptShare: 0 };
  /** Retrains thrown away because they diverged (`on_divergence: keep_last`). */
  private divergences = 0;

  constructor(
    private readonly config: RankerConfig,
    /** The formula, or the formula with the named parameters it uses (`recommender.score_params`). */
    scoreFormula: string | { readonly text: string; readonly params?: ScoreParams },
    private readonly catalog: PublicCatalog,
    private readonly users: PublicUsers,
    private readonly rng: Rng,
    options: MultiTaskRankerOptions = {},
  ) {
    this.heads = config.heads;
    this.formula = typeof scoreFormula === 'string' ? compileScoreFormula(scoreFormula, this.heads) : compileScoreFormula(scoreFormula.text, this.heads, scoreFormula.params);
    this.layout = featureLayout(options.topics ?? topicCount(catalog));
    this.writer = new FeatureWriter(this.layout, catalog, users, RANKER_HISTORY_LENGTH);
    this.engagement = new UserEngagement(this.layout.topics, catalog);
    this.replay = new TrainingReplay(RANKER_HISTORY_LENGTH, this.layout.topics, catalog);
    this.calibrators = this.heads.map(() => new IdentityCalibrator());
    this.calibrationFits = this.heads.map(() => null);
    this.preRanker = config.prerank ? new PreRanker(config.prerank, this.layout.dim) : null;
    this.tally = this.preRanker?.tally;
  }

  /** The cascade's counts, summed over the threads of a run split by users. */
  readonly tally?: ServingTally;

  /** True once a retrain has produced a model. */
  get trained(): boolean {
    return this.model !== null;
  }

  /** Multiply-adds of one candidate's forward pass at serving (0 before the first retrain). */
  get multiplyAddsPerCandidate(): number {
    return this.model?.multiplyAddsPerCandidate ?? 0;
  }

  /** Per-head holdout figures from the last retrain (empty before it). */
  get headReports(): readonly HeadReport[] {
    return this.reports;
  }

  /** The last retrain's training run (examples, steps, seconds), or null. */
  get lastTraining(): TrainingRun | null {
    return this.lastRun;
  }

  /**
   * From now on, score() keeps the representation `head` reads for every candidate it scores,
   * and each retrain that of `head`'s recent held-out rows. A head the ranker lacks falls back to
   * its first head (the same vector under DCN-V2; MMoE mixes per head).
   */
  exportRepresentation(head: RankerHead): RankerRepresentation {
    const index = Math.max(0, this.heads.indexOf(head));
    this.exported ??= new RepresentationExport(this.heads[index], index);
    if (this.exported.headIndex !== index) throw new Error(`ranker: already exports the ${this.exported.head} head's representation`);
    return this.exported;
  }

  /** The model's network, for inspection (null before the first retrain). */
  get network(): RankerModel['network'] | null {
    return this.model?.network ?? null;
  }

  observe(feedback: SlateFeedback): void {
    const { request, slate, clicked } = feedback;
    const clickedItem = clicked >= 0 ? slate.entries[clicked].itemId : -1;
    if (clickedItem >= 0) this.history.record(request.userId, clickedItem, request.time);
    this.engagement.addSlate(request.userId, request.time, slate.entries.map((e) => e.itemId), clickedItem);
  }

  async retrain(log: TrainingLog, now: number): Promise<void> {
    // The cascade's figures are those of the epoch just served, whatever this retrain does.
    if (this.preRanker) this.cascadeLastEpoch = this.preRanker.takeFigures();
    await initBackend();
    if (log.rows === 0) return;
    const sharing = trainedStates();
    if (sharing && !sharing.trains('ranker')) return this.adopt((await sharing.receive('ranker')) as RankerState | typeof KEPT_LAST, now);

    const set = this.trainingSet(log, now);
    const data: TrainingData = {
      dim: set.dim,
      heads: this.heads.length,
      x: set.x,
      positions: set.positions,
      labels: set.labels,
      mask: set.trainMask,
      weights: set.weights,
    };
    const rows = trainingRows(data);
    const lastGood = this.config.on_divergence === 'keep_last' && this.model ? this.model.variables.map((v) => Float32Array.from(v.dataSync())) : null;
    const model = this.ensureModel();
    if (this.lastRun === null) initHeadBias(model, data, rows);
    const optimizer = (this.optimizer ??= new Adam(this.config.learning_rate));
    const run = train(model, optimizer, data, rows, this.config.epochs, this.config.batch_size, this.rng);
    const at = { epoch: log.chunks[log.chunks.length - 1]?.epoch, day: now };
    const weights = model.variables.map((v) => v.dataSync() as Float32Array);
    try {
      checkTrained('ranker', at, run.lastLoss, weights, RANKER_HINT);
    } catch (error) {
      if (!lastGood || !(error instanceof DivergenceError)) throw error;
      // on_divergence: keep_last. Calibration, statistics and reports stay those of the last good retrain.
      model.assignWeights(lastGood);
      this.optimizer = null; // Adam starts afresh from the weights gone back to
      this.divergences += 1;
      sharing?.publish('ranker', KEPT_LAST);
      return;
    }
    this.lastRun = run;
    this.trainExamples = rows.length;
    this.fitCalibration(model, set, log.rows - set.n);
    this.checkCalibration(at);
    if (this.preRanker) this.fitPreRanker(model, set);
    this.stats = new FrozenItemStats(set.stats, now);
    this.endRetrain(now);
    sharing?.publish('ranker', this.trainedState(weights, set.stats.state(), now));
  }

  /** What this retrain left for serving, for threads that adopt it instead of training (trained-states.ts). */
  private trainedState(weights: Float32Array[], itemStats: ItemStatsState, now: number): RankerState {
    const { standardizer, lastRun } = this;
    if (!standardizer || !lastRun) throw new Error('ranker: not trained');
    if (this.exported) throw new Error('ranker: an exported representation is not handed to other threads');
    const { mean, inverseSd } = standardizer;
    const preRanker = this.preRanker?.fittedWeights ?? null;
    return { trainedAt: now, weights, standardizer: { mean, inverseSd }, calibrationFits: this.calibrationFits, reports: this.reports, lastRun, trainExamples: this.trainExamples, itemStats, preRanker };
  }

  /** Serves the model another thread trained on the same log, as that thread serves it (or, when that thread threw its retrain away, the model served so far). */
  private adopt(state: RankerState | typeof KEPT_LAST, now: number): void {
    if (state === KEPT_LAST) {
      this.divergences += 1;
      return;
    }
    if (state.trainedAt !== now) throw new Error(`ranker: a model trained on day ${state.trainedAt} reached the retrain of day ${now}: this thread is out of step`);
    this.ensureModel().assignWeights(state.weights);
    this.standardizer ??= new Standardizer(state.standardizer.mean, state.standardizer.inverseSd);
    const kind = this.config.calibration;
    this.calibrationFits = [...state.calibrationFits];
    this.calibrators = state.calibrationFits.map((fit) => (fit ? fitCalibrator(kind, fit.logits, fit.labels) : new IdentityCalibrator()));
    this.reports = [...state.reports];
    this.lastRun = state.lastRun;
    this.trainExamples = state.trainExamples;
    this.stats = new FrozenItemStats(ItemStats.fromState(state.itemStats), now);
    if (state.preRanker) this.preRanker?.adoptWeights(state.preRanker);
    this.endRetrain(now);
  }

  private endRetrain(now: number): void {
    this.trainedAt = now;
    this.servedLastEpoch = this.serving;
    this.serving = { candidates: 0, seconds: 0 };
  }

  /**
   * The examples retrain(log, now) trains on, standardized as the model sees them (fixing the
   * standardization if no retrain has yet). For baselines and offline evaluation on the same data.
   * It advances the ranker's log replay as the retrain would: asked again of the same log, it
   * gives the same examples.
   */
  trainingSet(log: TrainingLog, now: number): TrainingSet {
    const set = buildTrainingSet(
      log,
      now,
      {
        heads: this.heads,
        maxExamples: this.config.max_examples,
        holdout: this.config.holdout,
        ipsClip: this.config.ips.enabled ? this.config.ips.clip : null,
        historyLength: RANKER_HISTORY_LENGTH,
      },
      this.writer,
      this.catalog,
      this.users,
      this.replay,
    );
    this.standardizer ??= Standardizer.fit(set.x, set.dim, Array.from({ length: set.n }, (_, i) => i));
    this.standardizer.apply(set.x, set.n);
    return set;
  }

  /**
   * With a pre-ranker (`ranker.prerank`), only the candidates it keeps are scored by the network;
   * the others get NaN, which the pipeline reads as dropped. Not while an exploration policy
   * reads the ranker's representation, which it needs for every candidate.
   */
  score(requests: readonly RecRequest[], candidates: readonly (readonly Candidate[])[]): Float64Array[] {
    if (this.preRanker?.fitted && this.trained && !this.exported) return this.scoreCascade(this.preRanker, requests, candidates);
    return this.scoreWith(this.formula, requests, candidates);
  }

  /** Scores with another formula compiled for the same heads (e.g. to compare objectives offline). */
  scoreWith(formula: CompiledFormula, requests: readonly RecRequest[], candidates: readonly (readonly Candidate[])[]): Float64Array[] {
    if (formula.heads.join() !== this.heads.join()) {
      throw new FormulaError(`score formula "${formula.text}" was compiled for heads ${formula.heads.join(', ')}, not ${this.heads.join(', ')}`);
    }
    if (!this.trained) return candidates.map((list) => Float64Array.from(list, (c) => c.sourceScore));
    const started = performance.now();
    const columns = this.predictColumns(requests, candidates, true, this.exported);
    const flat = formula.evaluate(columns);
    const out = split(flat, candidates);
    this.serving.candidates += flat.length;
    this.serving.seconds += (performance.now() - started) / 1000;
    return out;
  }

  /** Per-head predictions for each request's candidates: calibrated (default) or the raw sigmoid. */
  predictHeads(requests: readonly RecRequest[], candidates: readonly (readonly Candidate[])[], calibrated = true): HeadPredictions[] {
    const columns = this.trained
      ? this.predictColumns(requests, candidates, calibrated)
      : this.heads.map(() => new Float64Array(candidates.reduce((n, list) => n + list.length, 0)).fill(0.5));
    const perHead = columns.map((column) => split(column, candidates));
    return requests.map((_, r) => new Map(this.heads.map((head, h) => [head, perHead[h][r]])));
  }

  diagnostics(): RecommenderDiagnostics {
    const metrics: Record<string, number> = {};
    for (const [h, head] of this.heads.entries()) {
      const report = this.reports[h];
      metrics[`ece_${head}_raw`] = report?.eceRaw ?? 0;
      metrics[`ece_${head}_calibrated`] = report?.eceCalibrated ?? 0;
      metrics[`ranker_auc_${head}`] = report?.auc ?? 0;
      // How many rows the three figures above rest on: ECE on a few dozen rows (surveys at a 5%
      // answer rate) is noise.
      metrics[`ranker_holdout_${head}`] = report?.holdout ?? 0;
    }
    metrics.ranker_train_examples = this.trainExamples;
    metrics.ranker_divergences = this.divergences;
    if (this.preRanker) {
      metrics.prerank_recall_at_10 = this.cascadeLastEpoch.recall;
      metrics.prerank_kept_share = this.cascadeLastEpoch.keptShare;
    }
    const run = this.lastRun;
    const served = this.servedLastEpoch;
    const tables = this.calibrationTables();
    return {
      metrics,
      files: tables ? { 'calibration.json': tables } : {},
      timings: {
        ranker_train_seconds: run?.seconds ?? 0,
        ranker_train_examples_per_second: run && run.seconds > 0 ? run.examples / run.seconds : 0,
        ranker_serve_seconds: served.seconds,
        ranker_serve_candidates_per_second: served.seconds > 0 ? served.candidates / served.seconds : 0,
      },
    };
  }

  /** Reliability tables from the last retrain (null before it), ready to be written as calibration.json. */
  calibrationTables(): CalibrationTables | null {
    if (this.reports.length === 0) return null;
    const heads: CalibrationTables['heads'] = Object.fromEntries(
      this.reports.map((r) => [r.head, { raw: { ece: r.eceRaw, bins: r.rawBins }, calibrated: { ece: r.eceCalibrated, bins: r.calibratedBins } }]),
    );
    return { format: 'recloop-calibration/1', day: this.trainedAt, method: this.config.calibration, heads };
  }

  /** Frees the model's tensors. */
  dispose(): void {
    this.model?.dispose();
    this.model = null;
    this.optimizer = null;
  }

  private ensureModel(): RankerModel {
    this.model ??= new RankerModel(this.config, this.layout.dim, this.heads.length, this.rng);
    return this.model;
  }

  /**
   * Raw logits on each head's holdout → ECE before, cross-fitted ECE after, AUC, and the
   * calibrator; when exporting, the same pass gives the exported head's held-out representation.
   * `firstWindowRow` is the log-window index of example 0.
   */
  private fitCalibration(model: RankerModel, set: TrainingSet, firstWindowRow: number): void {
    const H = this.heads.length;
    const rows = [...new Set(set.holdout.flatMap((r) => Array.from(r)))].sort((a, b) => a - b);
    const compact = new Map(rows.map((row, k) => [row, k]));
    const x = new Float32Array(rows.length * set.dim);
    rows.forEach((row, k) => x.set(set.x.subarray(row * set.dim, (row + 1) * set.dim), k * set.dim));
    const positions = Int32Array.from(rows, (row) => set.positions[row]);
    const exported = this.exported;
    let logits: Float32Array;
    if (exported) {
      const out = model.predictWithRepresentation(x, rows.length, exported.headIndex, positions);
      logits = out.logits;
      const width = model.network.representationDim;
      const held = set.holdout[exported.headIndex].slice(-EXPORTED_RECENT_ROWS);
      const recent = new Float32Array(held.length * width);
      held.forEach((row, k) => {
        const at = compact.get(row) ?? 0;
        recent.set(out.representation.subarray(at * width, (at + 1) * width), k * width);
      });
      exported.retrained(width, { n: held.length, x: recent, windowRows: Int32Array.from(held, (row) => firstWindowRow + row) });
    } else {
      logits = model.predict(x, rows.length, positions);
    }
    const kind = this.config.calibration;
    this.reports = this.heads.map((head, h) => {
      const held = set.holdout[h];
      const z = Float64Array.from(held, (row) => logits[(compact.get(row) ?? 0) * H + h]);
      const y = Float64Array.from(held, (row) => set.labels[row * H + h]);
      const raw = Float64Array.from(z, sigmoid);
      const calibrated = kind === 'none' ? raw : crossFittedPredictions(kind, z, y);
      this.calibrationFits[h] = held.length > 0 ? { logits: z, labels: y } : null;
      this.calibrators[h] = held.length > 0 ? fitCalibrator(kind, z, y) : new IdentityCalibrator();
      return {
        head,
        holdout: held.length,
        eceRaw: expectedCalibrationError(raw, y),
        eceCalibrated: expectedCalibrationError(calibrated, y),
        auc: held.length > 0 ? auc(z, y) : 0,
        rawBins: reliabilityBins(raw, y),
        calibratedBins: reliabilityBins(calibrated, y),
      };
    });
  }

  /** Each head's calibrator must map logits to finite probabilities, and its holdout figures be finite. */
  private checkCalibration(at: RetrainPoint): void {
    this.heads.forEach((head, h) => {
      const calibrator = this.calibrators[h];
      const report = this.reports[h];
      const figures = [...CALIBRATION_PROBES.map((z) => calibrator.apply(z)), report.eceRaw, report.eceCalibrated, report.auc];
      checkTrained(`calibration of head ${head}`, at, 0, [figures], `recommender.ranker.calibration is ${this.config.calibration}; try another, or look for labels that are not finite`, 'failed');
    });
  }

  /** One column per head over all candidates of all requests, in request then candidate order; `exported` receives the batch's representation. */
  private predictColumns(
    requests: readonly RecRequest[],
    candidates: readonly (readonly Candidate[])[],
    calibrated: boolean,
    exported: RepresentationExport | null = null,
  ): Float64Array[] {
    const model = this.model;
    if (!model) throw new Error('ranker: not trained');
    const { x, n } = this.servingFeatures(requests, candidates);
    let logits: Float32Array;
    if (exported) {
      const out = model.predictWithRepresentation(x, n, exported.headIndex);
      exported.setBatch(requests, candidates, out.representation);
      logits = out.logits;
    } else {
      logits = model.predict(x, n);
    }
    return this.headColumns(logits, n, calibrated);
  }

  /**
   * Standardized features of every candidate of every request, in request then candidate order (the
   * first n rows of a reused buffer), written already standardized by ServingRows.
   */
  private servingFeatures(requests: readonly RecRequest[], candidates: readonly (readonly Candidate[])[]): { x: Float32Array; n: number } {
    const stats = this.stats;
    const standardizer = this.standardizer;
    if (!stats || !standardizer) throw new Error('ranker: not trained');
    const n = candidates.reduce((total, list) => total + list.length, 0);
    const { dim, topics } = this.layout;
    // One buffer for every batch: rows are written whole, and readers take n rows.
    if (this.servingRows.length < n * dim) this.servingRows = new Float32Array(Math.max(n * dim, 2 * this.servingRows.length));
    const x = this.servingRows;
    const summary = (this.servingSummary ??= new UserSummary(topics));
    if (this.rowWriter?.standardizer !== standardizer) this.rowWriter = new ServingRows(this.writer, standardizer);
    const rows = this.rowWriter;
    const globalRate = stats.stats.globalClickRate(stats.time);
    let row = 0;
    for (let r = 0; r < requests.length; r++) {
      const request = requests[r];
      summary.fill(this.history, this.engagement, request.userId, request.time, globalRate, this.catalog);
      rows.startRequest(request, summary);
      const list = candidates[r];
      for (let c = 0; c < list.length; c++) rows.writeCandidate(x, row++ * dim, request, summary, list[c].itemId, stats, stats.time);
    }
    return { x, n };
  }

  /** One column per head from n × heads logits, calibrated or the raw sigmoid. */
  private headColumns(logits: Float32Array, n: number, calibrated: boolean): Float64Array[] {
    const H = this.heads.length;
    return this.heads.map((_, h) => {
      const calibrator = calibrated ? this.calibrators[h] : new IdentityCalibrator();
      const column = new Float64Array(n);
      for (let i = 0; i < n; i++) column[i] = calibrator.apply(logits[i * H + h]);
      return column;
    });
  }

  /** The combined score of n standardized rows, each as if shown at position 0. */
  private combinedScores(model: RankerModel, x: Float32Array, n: number): Float64Array {
    return this.formula.evaluate(this.headColumns(model.predict(x, n), n, true));
  }

  /** Fits the pre-ranker to the ranker's scores of the most recent training rows. */
  private fitPreRanker(model: RankerModel, set: TrainingSet): void {
    const n = Math.min(PRERANK_FIT_ROWS, set.n);
    const x = set.x.subarray((set.n - n) * set.dim, set.n * set.dim);
    this.preRanker?.fit(x, n, this.combinedScores(model, x, n));
  }

  /** The cascade: the pre-ranker's kept rows (and, for recall, every row of sampled requests) through the network. */
  private scoreCascade(preRanker: PreRanker, requests: readonly RecRequest[], candidates: readonly (readonly Candidate[])[]): Float64Array[] {
    const model = this.model;
    if (!model) throw new Error('ranker: not trained');
    const started = performance.now();
    const dim = this.layout.dim;
    const { x, n } = this.servingFeatures(requests, candidates);
    const kept = new Uint8Array(n);
    preRanker.select(x, candidates, kept);
    const scored = kept.slice();
    // Each sampled request's index and first row: drawn once per request.
    const sampled: [number, number][] = [];
    let row = 0;
    for (const [r, request] of requests.entries()) {
      if (sampledForRecall(request)) {
        sampled.push([r, row]);
        scored.fill(1, row, row + candidates[r].length);
      }
      row += candidates[r].length;
    }
    // The scored rows moved up in place: each moves to a lower row, never over one not yet read,
    // and the rows left behind are not read again.
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (!scored[i]) continue;
      if (count !== i) x.copyWithin(count * dim, i * dim, (i + 1) * dim);
      count++;
    }
    const compactScores = this.combinedScores(model, x, count);
    const full = new Float64Array(n).fill(Number.NaN);
    for (let i = 0, k = 0; i < n; i++) if (scored[i]) full[i] = compactScores[k++];
    for (const [r, start] of sampled) preRanker.recordRecall(full.subarray(start, start + candidates[r].length), kept, start, PRERANK_RECALL_DEPTH);
    for (let i = 0; i < n; i++) if (!kept[i]) full[i] = Number.NaN;
    this.serving.candidates += count;
    this.serving.seconds += (performance.now() - started) / 1000;
    return split(full, candidates);
  }
}

/** Splits a flat column back into one array per request. */
function split(flat: Float64Array, candidates: readonly (readonly Candidate[])[]): Float64Array[] {
  const out: Float64Array[] = [];
  let start = 0;
  for (const list of candidates) {
    out.push(flat.slice(start, start + list.length));
    start += list.length;
  }
  return out;
}
