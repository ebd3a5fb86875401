/**
 * Stage-one candidates from the two-tower model: after each retrain every item in the catalog
 * is embedded and indexed (exact, an inverted file or HNSW, per the scenario's `ann` block); a batch of requests
 * is embedded in one forward pass and searched in one batched call.
 *
 * Items uploaded after the last retrain are not in the index until the next one (a real
 * system's limitation too): the content, fresh and random sources are how they are found.
 */
import { initBackend } from '../../ml/backend.js';
import { RandomStreams, type Rng } from '../../rng/index.js';
import type { TrainingLog } from '../../training/training-log.js';
import { UserHistory } from '../../training/user-history.js';
import type { PublicCatalog, PublicUsers } from '../../world/public.js';
import { positiveCount } from '../../settings/fields.js';
import { annSettings, buildRetriever } from '../retrieval/build.js';
import { candidateSource } from '../sources/component.js';
import type { Candidate, CandidateSource, RecommenderDiagnostics, RecRequest, Retriever, SlateFeedback } from '../types.js';
import type { TwoTowerConfig, TwoTowerSourceConfig } from './config.js';
import { collectExamples, type TrainingExamples } from './examples.js';
import { deviceIndex, itemInputs, UserQueries, userInputs, type TowerInputs } from './features.js';
import { IdEvidence } from './id-evidence.js';
import { TwoTowerModel } from './model.js';
import { evenlySpaced, firstOfEpoch, progressiveRecall, type ProgressiveRecall } from './progressive-recall.js';
import { ANN_PROBE_QUERIES, annRecall } from '../retrieval/ann-recall.js';
import { exampleQueries, trainTwoTower } from './trainer.js';
import { checkTrained, DivergenceError } from '../../ml/divergence.js';
import { Vocabulary } from './vocabulary.js';
import { trainedStates } from '../trained-states.js';

const TWO_TOWER_HINT = 'lower recommender.two_tower.learning_rate, or look for features that are not finite';

/** Clicks at which an item's id embedding gets half weight against its content features (see IdEvidence). */
const ID_EVIDENCE_PRIOR = 10;
/** Items embedded per forward pass when the index is rebuilt. */
const EMBED_CHUNK = 4096;

interface TrainingFigures {
  readonly loss: number;
  readonly examples: number;
  readonly steps: number;
  readonly trainSeconds: number;
}

interface Figures extends TrainingFigures {
  readonly indexed: number;
  readonly exact: number;
  /** Share of the exact top k the index finds for the newest epoch's queries (retrieval/ann-recall.ts), and how many were probed. */
  readonly annRecall: number;
  readonly annProbes: number;
  readonly embedSeconds: number;
  readonly indexSeconds: number;
}

/** A retrain that diverged and was thrown away (`on_divergence: keep_last`): the last good model serves on. */
interface KeptLast {
  readonly keptLast: true;
  readonly recall: ProgressiveRecall;
}

/** What one retrain's training leaves: a model, the last one kept, or null when there was nothing to learn from. */
type Retrained = TwoTowerState | KeptLast | null;

/** What one retrain's training leaves for serving: what a thread that adopts it needs (trained-states.ts). */
interface TwoTowerState {
  /** TwoTowerModel.parameters. */
  readonly parameters: readonly Float32Array[];
  readonly evidence: Float32Array;
  readonly recall: ProgressiveRecall;
  /** User vectors of the newest epoch's clicks, up to ANN_PROBE_QUERIES, for the index's recall. */
  readonly probe: Float32Array;
  readonly figures: TrainingFigures;
}

export class TwoTowerSource implements CandidateSource {
  readonly name = 'two_tower';
  /** Shared by every candidate this source makes (candidates never modify it). */
  private readonly sourceNames: readonly string[] = [this.name];
  /** Built at the first retrain, once the tfjs backend is chosen (tensors made before would sit on the default one). */
  private model: TwoTowerModel | undefined;
  private readonly streams: RandomStreams;
  private readonly history: UserHistory;
  /** A request's recent clicks (scratch of generate). */
  private readonly clickedItems: Int32Array;
  private readonly vocabulary: Vocabulary;
  private readonly evidence = new IdEvidence(ID_EVIDENCE_PRIOR);
  private readonly trainRng: Rng;
  private readonly indexSeed: number;
  private retriever: Retriever | undefined;
  private recall: ProgressiveRecall = { recall: 0, clicks: 0 };
  /** Retrains thrown away because they diverged (`on_divergence: keep_last`). */
  private divergences = 0;
  private figures: Figures = { loss: 0, examples: 0, steps: 0, indexed: 0, exact: 0, annRecall: 0, annProbes: 0, trainSeconds: 0, embedSeconds: 0, indexSeconds: 0 };

  constructor(
    private readonly source: TwoTowerSourceConfig,
    private readonly config: TwoTowerConfig,
    private readonly catalog: PublicCatalog,
    private readonly users: PublicUsers,
    rng: Rng,
    /** The name its trained state is shared under (trained-states.ts). */
    private readonly stateKey = 'two_tower',
  ) {
    // One draw from the given stream seeds named sub-streams, so each table, tower and the
    // shuffler have their own sequence.
    const streams = new RandomStreams(rng.int(2 ** 32));
    this.streams = streams;
    this.trainRng = streams.stream('shuffle');
    this.indexSeed = streams.stream('index').int(2 ** 31);
    this.history = new UserHistory(config.history);
    this.clickedItems = new Int32Array(config.history);
    this.vocabulary = new Vocabulary(catalog, users);
  }

  /** Keeps each user's click history current between retrains. */
  observe(feedback: SlateFeedback): void {
    if (feedback.clicked < 0) return;
    const entry = feedback.slate.entries[feedback.clicked];
    this.history.record(feedback.request.userId, entry.itemId, feedback.request.time);
  }

  /**
   * Trains on the log window (or, where another thread trains this source, adopts what it trained:
   * trained-states.ts), then embeds the catalog and indexes it.
   */
  async retrain(log: TrainingLog, now: number): Promise<void> {
    await initBackend();
    const sharing = trainedStates();
    const adopting = sharing !== null && !sharing.trains(this.stateKey);
    const state = adopting ? ((await sharing.receive(this.stateKey)) as Retrained) : this.train(log, now);
    if (!adopting) sharing?.publish(this.stateKey, state);
    if (!state) return; // nothing to learn from yet: keep serving what was served
    if ('keptLast' in state) {
      if (adopting) this.keepLast();
      this.recall = state.recall;
      this.divergences += 1;
      return; // the last good model and its index serve on
    }
    const model = adopting ? this.adopt(state) : this.ensureModel();
    const embedStart = performance.now();
    const { ids, vectors } = this.embedCatalog(model, now);
    const indexStart = performance.now();
    this.retriever = await buildRetriever(ids, vectors, this.config.dim, this.source.ann, this.indexSeed);
    const indexEnd = performance.now();
    this.figures = {
      ...state.figures,
      indexed: ids.length,
      exact: this.retriever.exact ? 1 : 0,
      annRecall: annRecall(this.retriever, ids, vectors, this.config.dim, state.probe, this.source.k + this.config.history),
      annProbes: state.probe.length / this.config.dim,
      embedSeconds: (indexStart - embedStart) / 1000,
      indexSeconds: (indexEnd - indexStart) / 1000,
    };
  }

  /** One retrain's training: what it leaves for serving, or null when there is nothing to learn from yet. */
  private train(log: TrainingLog, now: number): Retrained {
    const { config } = this;
    const newest = log.chunks.length - 1;
    const examples = collectExamples(log, config.history, config.max_examples, config.train_on === 'new_epoch' ? newest : 0);
    if (examples.count < 2 && !this.model) return null;
    // Histories may hold items (and examples users) that arrived since the last retrain.
    this.model?.ensureRows(this.vocabulary.sizes());
    // The newest epoch's clicks: progressive recall before training, the index's probe after.
    const newestFrom = firstOfEpoch(examples, newest >= 0 ? log.chunks[newest].start : now);
    this.recall = this.measureRecall(examples, newestFrom);
    const lastGood = config.on_divergence === 'keep_last' && this.model ? { parameters: this.model.parameters.map((p) => p.slice()), evidence: this.evidence.weights } : null;
    const model = this.prepareModel();
    this.evidence.update(examples.itemIds, this.catalog.size);
    const report = trainTwoTower(
      model,
      examples,
      {
        epochs: this.config.epochs,
        batchSize: this.config.batch_size,
        logQCorrection: this.config.logq_correction,
        historyHalfLife: this.config.history_half_life,
        evidence: this.evidence,
      },
      this.catalog,
      this.users,
      this.trainRng,
    );
    try {
      checkTrained('two_tower', { epoch: log.chunks[newest]?.epoch, day: now }, report.loss, model.parameters, TWO_TOWER_HINT);
    } catch (error) {
      if (!lastGood || !(error instanceof DivergenceError)) throw error;
      model.restoreParameters(lastGood.parameters);
      this.evidence.adopt(lastGood.evidence);
      return { keptLast: true, recall: this.recall };
    }
    // The newest epoch's queries, as the trained model embeds them: what the index will be asked.
    const probe = model.embedUsers(this.exampleInputs(examples, evenlySpaced(newestFrom, examples.count, ANN_PROBE_QUERIES)));
    return {
      parameters: model.parameters.map((p) => p.slice()),
      evidence: this.evidence.weights,
      recall: this.recall,
      probe,
      figures: { loss: report.loss, examples: report.examples, steps: report.steps, trainSeconds: report.seconds },
    };
  }

  /**
   * Takes the model another thread trained on the same log. The model's rows are drawn as the
   * training thread drew them (new ids, then a cold start), so the streams stay in step for the
   * rows drawn at serving.
   */
  private adopt(state: TwoTowerState): TwoTowerModel {
    this.model?.ensureRows(this.vocabulary.sizes());
    const model = this.prepareModel();
    model.assignParameters(state.parameters);
    this.evidence.adopt(state.evidence);
    this.recall = state.recall;
    return model;
  }

  /**
   * Where the training thread threw a diverged retrain away: its model's rows are drawn as that
   * thread drew them (new ids, then a cold start), and the weights this thread serves stay.
   */
  private keepLast(): void {
    const model = this.ensureModel();
    model.ensureRows(this.vocabulary.sizes());
    const lastGood = model.parameters.map((p) => p.slice());
    this.prepareModel().restoreParameters(lastGood);
  }

  /** The model to train: made at the first retrain, drawn afresh each retrain unless warm-started, with a row for every id. */
  private prepareModel(): TwoTowerModel {
    const { config } = this;
    if (!this.model) {
      this.model = new TwoTowerModel({ dim: config.dim, temperature: config.temperature, learningRate: config.learning_rate }, this.streams.child('model'));
    } else if (!config.warm_start) {
      this.model.reset();
    }
    this.model.ensureRows(this.vocabulary.sizes());
    return this.model;
  }

  private ensureModel(): TwoTowerModel {
    if (!this.model) throw new Error('two_tower: not trained');
    return this.model;
  }

  generate(requests: readonly RecRequest[]): Candidate[][] {
    const { retriever, model } = this;
    if (!retriever || !model || requests.length === 0) return requests.map(() => []);
    const { dim } = this.config;
    // Histories may hold items (and requests users) that arrived after the retrain: give them rows.
    model.ensureRows(this.vocabulary.sizes());
    const vectors = model.embedUsers(userInputs(this.queriesFor(requests), this.catalog, this.users, this.config.history_half_life, this.evidence));
    const queries = requests.map((_, r) => vectors.subarray(r * dim, (r + 1) * dim));
    // Ask for enough extra to still have k after dropping the user's recent clicks.
    const results = retriever.search(queries, this.source.k + this.config.history);
    return requests.map((request, r) => {
      // At most `history` recent clicks: a linear scan beats building a set per request.
      const clicked = this.clickedItems;
      const clicks = this.history.recentInto(request.userId, clicked);
      const { ids, scores } = results[r];
      const out: Candidate[] = [];
      for (let j = 0; j < ids.length && out.length < this.source.k; j++) {
        const id = ids[j];
        if (!includes(clicked, clicks, id)) out.push({ itemId: id, sources: this.sourceNames, sourceScore: scores[j] });
      }
      return out;
    });
  }

  /** Same keys every epoch; zeros before the first retrain. */
  diagnostics(): RecommenderDiagnostics {
    const f = this.figures;
    return {
      metrics: {
        two_tower_train_loss: f.loss,
        two_tower_examples: f.examples,
        two_tower_indexed_items: f.indexed,
        two_tower_exact_search: f.exact,
        two_tower_divergences: this.divergences,
        two_tower_ann_recall: f.annRecall,
        two_tower_ann_probes: f.annProbes,
        two_tower_recall: this.recall.recall,
        two_tower_recall_clicks: this.recall.clicks,
      },
      timings: {
        two_tower_train_seconds: f.trainSeconds,
        two_tower_examples_per_second: f.trainSeconds > 0 ? (f.examples * this.config.epochs) / f.trainSeconds : 0,
        two_tower_embed_seconds: f.embedSeconds,
        two_tower_index_seconds: f.indexSeconds,
      },
    };
  }

  /** Recall@k of the model served so far on the newest epoch's clicks (examples from `from` on), before it trains on them. */
  private measureRecall(examples: TrainingExamples, from: number): ProgressiveRecall {
    const { model, retriever } = this;
    if (!model || !retriever) return { recall: 0, clicks: 0 };
    return progressiveRecall(model, retriever, examples, from, this.source.k, (rows) => this.exampleInputs(examples, rows));
  }

  /** User-tower inputs of the given examples: each click's user with the history they had then. */
  private exampleInputs(examples: TrainingExamples, rows: readonly number[]): TowerInputs {
    return userInputs(exampleQueries(examples, rows, this.users), this.catalog, this.users, this.config.history_half_life, this.evidence);
  }

  /** Every current item embedded as of `now`, in id order. */
  private embedCatalog(model: TwoTowerModel, now: number): { ids: Int32Array; vectors: Float32Array } {
    const n = this.catalog.size;
    const { dim } = this.config;
    const ids = Int32Array.from({ length: n }, (_, i) => i);
    const vectors = new Float32Array(n * dim);
    for (let start = 0; start < n; start += EMBED_CHUNK) {
      const chunk = ids.subarray(start, Math.min(n, start + EMBED_CHUNK));
      vectors.set(model.embedItems(itemInputs(chunk, now, this.catalog, this.evidence)), start * dim);
    }
    return { ids, vectors };
  }

  private queriesFor(requests: readonly RecRequest[]): UserQueries {
    const H = this.config.history;
    const q = new UserQueries(requests.length, H);
    requests.forEach((request, b) => {
      q.userIds[b] = request.userId;
      q.times[b] = request.time;
      q.hours[b] = request.hourOfDay;
      q.devices[b] = deviceIndex(request.device);
      q.historyCounts[b] = this.history.recentInto(request.userId, q.historyItems, q.historyTimes, b * H);
    });
    return q;
  }
}

export const TWO_TOWER_SOURCE = candidateSource({
  name: 'two_tower',
  settings: { k: positiveCount.default(200), ann: annSettings },
  build: (config, ctx) => {
    const { catalog, users, streams } = ctx.recommender;
    const path = `sources/${ctx.index}/two_tower`;
    return new TwoTowerSource(config, ctx.twoTower, catalog, users, streams.stream(path), path);
  },
});

/** Whether values[0 .. count) holds value. */
function includes(values: Int32Array, count: number, value: number): boolean {
  for (let k = 0; k < count; k++) if (values[k] === value) return true;
  return false;
}
