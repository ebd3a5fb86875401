/**
 * Items and creators, ground truth side. Each creator has a topic profile, a latent centre and
 * a productivity; its items inherit topics and latent position from it, which plants the
 * structure that content-based and collaborative sources can discover from logs alone.
 * Creators of the starting catalog are there before day 0; others join during the run
 * (`world.items.new_creators_per_day`, scheduled by the loop like uploads) and share in the
 * uploads from their join on, by productivity like everyone else.
 */
import { AliasTable, type Rng } from '../rng/index.js';
import { BlockSlices } from './block-slices.js';
import type { WorldConfig } from './schema.js';
import { topicPrior } from './topic-prior.js';
import { PublicRegistry, type PublicCatalog, type PublicItem } from './public.js';
import { TruthRows } from './truth-rows.js';

export interface ItemTruth {
  /** Topic ids of the sparse true mixture, heaviest first (the public tags are the same ids). */
  readonly topicIds: Int32Array;
  /** Mixture weights, summing to 1, aligned with topicIds. */
  readonly topicWeights: Float32Array;
  /** Euclidean norm of the mixture, cached for cosine similarity. */
  readonly topicNorm: number;
  readonly latent: Float32Array;
  /** Quality in (0,1): how much watching this item satisfies, whatever its appeal. */
  readonly quality: number;
  /** Click appeal beyond affinity; clickbait items have high appeal and low quality. */
  readonly appeal: number;
  readonly clickbait: boolean;
}

interface Creator {
  readonly topicMix: Float64Array;
  readonly latent: Float32Array;
  /** Day the creator joined; −Infinity for the starting catalog's creators. */
  readonly joinTime: number;
}

const MIN_LENGTH_MINUTES = 0.25;
const MAX_LENGTH_MINUTES = 240;
/** Share of an item's latent vector inherited from its creator. */
const CREATOR_LATENT_SHARE = 0.75;
/** Dirichlet concentration of a creator's topic profile: most creators cover a few topics. */
const CREATOR_TOPIC_CONCENTRATION = 0.2;

export class Items {
  readonly public: PublicCatalog = new PublicRegistry<PublicItem>();
  private readonly truth: ItemTruth[] = [];
  /** The same truth with the creator, upload time and length, one packed record an item: what is read per impression (truth-rows.ts). */
  readonly rows: TruthRows;
  /** Where the items' truth arrays live: views of shared blocks, not three arrays of their own an item. */
  private readonly slices: { readonly topicIds: BlockSlices<Int32Array>; readonly topicWeights: BlockSlices<Float32Array>; readonly latent: BlockSlices<Float32Array> };
  private readonly creators: Creator[] = [];
  /** Each creator's productivity: its weight in picking an upload's creator. */
  private readonly productivity: number[] = [];
  private creatorPicker: AliasTable;

  /**
   * `rng` draws the starting creators and every item; `joinRng` the creators who join later, so
   * a world without joins draws exactly what it drew before they existed.
   */
  constructor(
    private readonly config: WorldConfig,
    private readonly rng: Rng,
    private readonly joinRng: Rng,
  ) {
    const maxTags = Math.min(config.items.topics_per_item, config.topics);
    this.rows = new TruthRows(maxTags, config.latent_dim);
    this.slices = { topicIds: new BlockSlices(new Int32Array(0), maxTags), topicWeights: new BlockSlices(new Float32Array(0), maxTags), latent: new BlockSlices(new Float32Array(0), config.latent_dim) };
    for (let c = 0; c < config.items.creators; c++) this.drawCreator(rng, Number.NEGATIVE_INFINITY);
    this.creatorPicker = new AliasTable(this.productivity);
  }

  get size(): number {
    return this.truth.length;
  }

  /** Creators so far, the starting ones included; ids are dense from 0 in order of joining. */
  get creatorCount(): number {
    return this.creators.length;
  }

  /** The day a creator joined; −Infinity for the starting catalog's creators. */
  creatorJoinTime(creatorId: number): number {
    const creator = this.creators[creatorId];
    if (creator === undefined) throw new RangeError(`unknown creator ${creatorId}`);
    return creator.joinTime;
  }

  /** A new creator joins at `time` and may upload from then on; returns its id. */
  join(time: number): number {
    const id = this.drawCreator(this.joinRng, time);
    // Rebuilt whole: joins are a few a day, and the table's draws then stay those of one table.
    this.creatorPicker = new AliasTable(this.productivity);
    return id;
  }

  /** Draws a creator's topics, latent centre and productivity, in that order, from `rng`. */
  private drawCreator(rng: Rng, joinTime: number): number {
    const { topics, latent_dim: dim, topic_skew: skew } = this.config;
    const topicMix = rng.dirichlet(topicPrior(topics, CREATOR_TOPIC_CONCENTRATION, skew));
    const latent = new Float32Array(dim);
    for (let d = 0; d < dim; d++) latent[d] = rng.normal();
    this.creators.push({ topicMix, latent, joinTime });
    this.productivity.push(rng.lognormal(0, 1));
    return this.creators.length - 1;
  }

  truthOf(id: number): ItemTruth {
    return this.truth[id];
  }

  /** Creates one item by a productivity-weighted creator; returns its id. */
  create(uploadTime: number): number {
    const { rng, config } = this;
    const creatorId = this.creatorPicker.sample(rng);
    const creator = this.creators[creatorId];
    const id = this.truth.length;

    const tagCount = Math.min(config.items.topics_per_item, config.topics);
    const chosen: number[] = [];
    while (chosen.length < tagCount) {
      const topic = rng.categorical(creator.topicMix);
      if (!chosen.includes(topic)) chosen.push(topic);
      else if (chosen.length > 0 && rng.bernoulli(0.5)) break; // a creator's narrow profile gives fewer tags
    }
    const raw = rng.dirichlet(new Array<number>(chosen.length).fill(1.5));
    const order = chosen.map((topic, k) => ({ topic, weight: raw[k] })).sort((a, b) => b.weight - a.weight);
    const topicIds = this.slices.topicIds.take(order.length);
    const topicWeights = this.slices.topicWeights.take(order.length);
    for (let k = 0; k < order.length; k++) {
      topicIds[k] = order[k].topic;
      topicWeights[k] = order[k].weight;
    }
    let norm = 0;
    for (const w of topicWeights) norm += w * w;

    const latent = this.slices.latent.take();
    const noise = Math.sqrt(1 - CREATOR_LATENT_SHARE * CREATOR_LATENT_SHARE);
    for (let d = 0; d < latent.length; d++) latent[d] = CREATOR_LATENT_SHARE * creator.latent[d] + noise * rng.normal();

    const [qa, qb] = config.items.quality.beta;
    const clickbait = rng.bernoulli(config.items.clickbait_share);
    // Clickbait trades quality for appeal: the thumbnail promises more than the item delivers.
    const quality = clickbait ? 0.5 * rng.beta(qa, qb) : rng.beta(qa, qb);
    const appeal = 0.5 * config.affinity.quality_weight * (2 * quality - 1) + (clickbait ? config.affinity.clickbait_appeal : 0);

    const [mu, sigma] = config.items.length_minutes.lognormal;
    const lengthMinutes = Math.min(MAX_LENGTH_MINUTES, Math.max(MIN_LENGTH_MINUTES, rng.lognormal(mu, sigma)));

    const truth: ItemTruth = { topicIds, topicWeights, topicNorm: Math.sqrt(norm), latent, quality, appeal, clickbait };
    this.truth.push(truth);
    this.rows.add(truth, creatorId, uploadTime, lengthMinutes);
    this.public.add({ id, creatorId, topics: Array.from(topicIds), lengthMinutes, uploadTime });
    return id;
  }
}
