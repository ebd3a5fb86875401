/**
 * Users, ground truth side: latent topic preferences and continuous tastes that drift toward
 * what they consume, per-topic satiation that recovers over time, patience, a running
 * satisfaction that drives how soon they come back, and whether they have churned.
 */
import { AliasTable, type Rng } from '../rng/index.js';
import type { WorldConfig } from '../scenario/index.js';
import { DEVICES, PublicRegistry, type PublicUser, type PublicUsers } from './public.js';
import type { ItemTruth } from './items.js';

export interface UserState {
  /** True topic preferences (sum to 1). */
  readonly topicPrefs: Float64Array;
  topicNorm: number;
  readonly latent: Float32Array;
  /** Per-topic satiation, valid as of satiationTime; decays exponentially. */
  readonly satiation: Float32Array;
  satiationTime: number;
  /** Slates without a click the user tolerates in one session. */
  readonly patience: number;
  /** Exponential moving average of session satisfaction. */
  satisfaction: number;
  sessions: number;
  churned: boolean;
}

const DEVICE_WEIGHTS = [0.6, 0.3, 0.1];
/** Weight of the newest session in the running satisfaction. */
const SATISFACTION_SMOOTHING = 0.3;

export class Users {
  readonly public: PublicUsers = new PublicRegistry<PublicUser>();
  private readonly states: UserState[] = [];
  private readonly countryPicker: AliasTable;
  private readonly devicePicker = new AliasTable(DEVICE_WEIGHTS);

  constructor(
    private readonly config: WorldConfig,
    private readonly rng: Rng,
  ) {
    // Countries follow a Zipf-like share, as real traffic does.
    const countries = Array.from({ length: config.users.countries }, (_, k) => 1 / (k + 1));
    this.countryPicker = new AliasTable(countries);
  }

  get size(): number {
    return this.states.length;
  }

  stateOf(id: number): UserState {
    return this.states[id];
  }

  create(signupTime: number): number {
    const { rng, config } = this;
    const id = this.states.length;
    const topicPrefs = rng.dirichlet(new Array<number>(config.topics).fill(config.users.preferences.topic_concentration));
    const latent = new Float32Array(config.latent_dim);
    for (let d = 0; d < latent.length; d++) latent[d] = rng.normal();
    const patience = 1 + rng.poisson(Math.max(0, config.users.patience.bad_slates - 1));
    this.states.push({
      topicPrefs,
      topicNorm: norm(topicPrefs),
      latent,
      satiation: new Float32Array(config.topics),
      satiationTime: signupTime,
      patience,
      satisfaction: 0,
      sessions: 0,
      churned: false,
    });
    // Evening-heavy activity: most users' typical hour falls between 17:00 and 23:00.
    const typicalHour = rng.bernoulli(0.6) ? 17 + rng.int(7) : rng.int(24);
    this.public.add({
      id,
      country: this.countryPicker.sample(rng),
      device: DEVICES[this.devicePicker.sample(rng)],
      typicalHour,
      signupTime,
    });
    return id;
  }

  /** Brings satiation forward to `time` (exponential recovery). */
  recover(user: UserState, time: number): void {
    const dt = time - user.satiationTime;
    if (dt <= 0) return;
    const factor = Math.exp(-this.config.users.satiation.recovery_per_day * dt);
    const s = user.satiation;
    for (let k = 0; k < s.length; k++) s[k] *= factor;
    user.satiationTime = time;
  }

  /** Consuming an item satiates its topics and pulls preferences toward it. */
  consume(user: UserState, item: ItemTruth): void {
    const { per_view } = this.config.users.satiation;
    const rate = this.config.users.drift.toward_consumed;
    for (let j = 0; j < item.topicIds.length; j++) user.satiation[item.topicIds[j]] += per_view * item.topicWeights[j];
    if (rate === 0) return;
    const prefs = user.topicPrefs;
    for (let k = 0; k < prefs.length; k++) prefs[k] *= 1 - rate;
    for (let j = 0; j < item.topicIds.length; j++) prefs[item.topicIds[j]] += rate * item.topicWeights[j];
    user.topicNorm = norm(prefs);
    // Latent taste moves toward the item but keeps its scale, so affinities stay comparable.
    const before = norm(user.latent);
    for (let d = 0; d < user.latent.length; d++) user.latent[d] = (1 - rate) * user.latent[d] + rate * item.latent[d];
    const after = norm(user.latent);
    if (after > 0) for (let d = 0; d < user.latent.length; d++) user.latent[d] *= before / after;
  }

  recordSession(user: UserState, score: number): void {
    user.sessions += 1;
    user.satisfaction = (1 - SATISFACTION_SMOOTHING) * user.satisfaction + SATISFACTION_SMOOTHING * score;
  }
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  return Math.sqrt(s);
}
