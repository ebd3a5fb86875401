/**
 * The world: the ground truth of a run. It owns users, items, the user model (what users do:
 * user-model.ts) and one random stream per concern, so arrivals stay identical whatever the
 * recommender does (the basis of common random numbers across arms).
 */
import type { KeyedStream, RandomStreams, Rng } from '../rng/index.js';
import type { WorldConfig } from './schema.js';
import { Items } from './items.js';
import type { UserModel } from './user-model.js';
import { buildUserModel } from './user-models/registry.js';
import { Users } from './users.js';
import type { WorldView } from './view.js';

/** Age spread of the initial catalog: items were uploaded uniformly over this many days before day 0. */
const INITIAL_CATALOG_AGE_DAYS = 30;

/**
 * A user's behaviour draws from keyed streams (rng/keyed.ts), so a user's n-th request gets the
 * same uniforms in every twin arm whatever happened to other users. Keys: (user, session,
 * request in session) for the click, the response and whether the session goes on; (user,
 * sessions completed, 0) for churn and the return time when a session ends, (user, 0, 0) for an
 * initial user's first visit.
 */
export interface WorldStreams {
  readonly choice: KeyedStream;
  readonly response: KeyedStream;
  readonly sessions: KeyedStream;
  readonly uploads: Rng;
  readonly signups: Rng;
  /** Waits between creators joining (their own draws are the items' `creators` stream). */
  readonly creatorJoins: Rng;
}

export class World {
  readonly items: Items;
  readonly users: Users;
  readonly userModel: UserModel;
  readonly rng: WorldStreams;

  constructor(
    readonly config: WorldConfig,
    streams: RandomStreams,
  ) {
    this.items = new Items(config, streams.stream('items'), streams.stream('creators'));
    this.rng = {
      choice: streams.keyed('choice'),
      response: streams.keyed('response'),
      sessions: streams.keyed('sessions'),
      uploads: streams.stream('uploads'),
      signups: streams.stream('signups'),
      creatorJoins: streams.stream('creator-joins'),
    };
    this.userModel = buildUserModel({ config, items: this.items, rng: this.rng });
    this.users = new Users(config, streams.stream('users'), this.userModel);
    const ageRng = streams.stream('initial-catalog-age');
    for (let i = 0; i < config.items.count; i++) this.items.create(-ageRng.uniform(0, INITIAL_CATALOG_AGE_DAYS));
    for (let u = 0; u < config.users.count; u++) this.users.create(0);
  }

  /** Expected true utility of watching an item now. Ground truth: only oracle baselines may ask. */
  trueUtility(userId: number, itemId: number, time: number): number {
    return this.userModel.trueUtility(userId, itemId, time);
  }

  /** The read-only ground truth metrics may use. */
  view(): WorldView {
    const { items, users } = this;
    // One record per item, made once: metrics ask for an item's topics at every impression.
    const topicsOf: { readonly ids: Int32Array; readonly weights: Float32Array }[] = [];
    return {
      topics: this.config.topics,
      topicRows: items.rows,
      itemCount: () => items.size,
      userCount: () => users.size,
      itemTopics: (id) => {
        // Filled in id order, so the array stays dense whatever order items are asked for in.
        for (let next = topicsOf.length; next <= id && next < items.size; next++) {
          const t = items.truthOf(next);
          topicsOf.push({ ids: t.topicIds, weights: t.topicWeights });
        }
        const topics = topicsOf[id];
        if (topics === undefined) throw new RangeError(`unknown item ${id}`);
        return topics;
      },
      itemUploadTime: (id) => items.rows.uploadTime(id),
      itemQuality: (id) => items.truthOf(id).quality,
      itemCreator: (id) => items.rows.creator(id),
      get creatorCount() {
        return items.creatorCount;
      },
      creatorJoinTime: (id) => items.creatorJoinTime(id),
      userTopicPrefs: (id) => users.stateOf(id).topicPrefs,
      userSignupTime: (id) => users.public.get(id).signupTime,
    };
  }
}

/** The one door to ground truth on the recommender side, handed only to oracle baselines. */
export interface TruthOracle {
  trueUtility(userId: number, itemId: number, time: number): number;
}
