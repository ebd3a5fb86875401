/**
 * The user population, ground truth side: each user's hidden state, drawn by the user model,
 * and their public record (country, device, usual hour), drawn after it from the same stream.
 */
import { AliasTable, type Rng } from '../rng/index.js';
import type { WorldConfig } from './schema.js';
import { DEVICES, PublicRegistry, type PublicUser, type PublicUsers } from './public.js';
import type { UserModel } from './user-model.js';

/** What the world, its metrics and the loop read of any user model's users. */
export interface UserState {
  /** True topic preferences (sum to 1). */
  readonly topicPrefs: ArrayLike<number>;
  /** Sessions completed; a user model counts them, the loop reads them (a real system knows them too). */
  sessions: number;
  churned: boolean;
}

const DEVICE_WEIGHTS = [0.6, 0.3, 0.1];

export class Users {
  readonly public: PublicUsers = new PublicRegistry<PublicUser>();
  private readonly states: UserState[] = [];
  private readonly countryPicker: AliasTable;
  private readonly devicePicker = new AliasTable(DEVICE_WEIGHTS);

  constructor(
    config: WorldConfig,
    private readonly rng: Rng,
    private readonly model: UserModel,
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
    const { rng } = this;
    const id = this.states.length;
    this.states.push(this.model.newUser(id, signupTime, rng));
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
}
