/**
 * Today's users (kind: satisfaction): tastes that drift toward what they watch and tire of
 * topics (tastes.ts), clicks from the world's choice model over click utilities, responses that
 * follow the true utility, sessions that go on after a watch or end when patience runs out, and
 * a running satisfaction that sets how soon they come back and how likely they are to churn.
 */
import { z } from 'zod';
import type { Rng } from '../../rng/index.js';
import { duration, positive, positiveCount, probability, rate } from '../../settings/fields.js';
import { MINUTES_PER_DAY } from '../../settings/duration.js';
import { buildChoiceModel } from '../choice/registry.js';
import type { ChoiceModel } from '../choice/choice-model.js';
import type { Items } from '../items.js';
import { ResponseModel } from '../response.js';
import { consume, drawTastes, recover, recoveredCopy, TasteArrays, type Tastes } from '../tastes.js';
import type { FollowUp, SessionEnding, SlateOutcome, UserModel } from '../user-model.js';
import type { UserState } from '../users.js';
import { UtilityModel } from '../utility.js';
import { defineUserModel, type UserModelContext, type UserModelEntry, type WorldWithUsers } from './user-model-entry.js';

interface SatisfactionUser extends UserState, Tastes {
  readonly topicPrefs: Float64Array;
  /** Slates without a click the user tolerates in one session. */
  readonly patience: number;
  /** Exponential moving average of session satisfaction. */
  satisfaction: number;
}

interface ActiveSession {
  badSlates: number;
  utilitySum: number;
}

/** What a slate without a click costs a session's satisfaction. */
const EMPTY_SLATE_COST = 0.25;
/** Session satisfaction at which return and churn rates equal their scenario base values. */
const NEUTRAL_SATISFACTION = 0.5;
/** Weight of the newest session in the running satisfaction. */
const SATISFACTION_SMOOTHING = 0.3;

type Config = WorldWithUsers<'satisfaction'>;

export class SatisfactionUserModel implements UserModel {
  private readonly config: Config;
  private readonly items: Items;
  private readonly rng: UserModelContext['rng'];
  private readonly utility: UtilityModel;
  private readonly choice: ChoiceModel;
  private readonly response: ResponseModel;
  private readonly users: SatisfactionUser[] = [];
  private readonly tasteArrays: TasteArrays;
  private readonly active = new Map<number, ActiveSession>();
  /** Reused between slates: users react one at a time. */
  private readonly clickUtilities: number[] = [];

  constructor(context: UserModelContext<Config>) {
    this.config = context.config;
    this.tasteArrays = new TasteArrays(context.config.topics, context.config.latent_dim);
    this.items = context.items;
    this.rng = context.rng;
    this.utility = new UtilityModel(context.config);
    this.choice = buildChoiceModel(context.config.choice);
    this.response = new ResponseModel(context.config.response);
  }

  newUser(userId: number, signupTime: number, rng: Rng): SatisfactionUser {
    if (userId !== this.users.length) throw new Error(`users must be created in id order: expected ${this.users.length}, got ${userId}`);
    const tastes = drawTastes(this.config, signupTime, rng, this.tasteArrays);
    const patience = 1 + rng.poisson(Math.max(0, this.config.users.patience.bad_slates - 1));
    const user: SatisfactionUser = { ...tastes, patience, satisfaction: 0, sessions: 0, churned: false };
    this.users.push(user);
    return user;
  }

  react(userId: number, slate: ArrayLike<number>, time: number, requestInSession: number): SlateOutcome {
    const { items, utility, rng } = this;
    const user = this.users[userId];
    recover(this.config, user, time);
    const u = this.clickUtilities;
    u.length = slate.length;
    for (let p = 0; p < u.length; p++) u[p] = utility.clickUtility(user, items.rows, slate[p]);
    const clicked = this.choice.choose(u, rng.choice.at(userId, user.sessions, requestInSession));
    if (clicked < 0) return { clicked, trueUtility: Number.NaN };
    const itemId = slate[clicked];
    const trueUtility = utility.trueUtility(user, items.rows, itemId);
    const lengthMinutes = items.rows.lengthMinutes(itemId);
    const watched = this.response.respond(trueUtility, lengthMinutes, rng.response.at(userId, user.sessions, requestInSession));
    consume(this.config, user, items.rows, itemId);
    return { clicked, response: watched, trueUtility };
  }

  clickProbabilities(userId: number, slate: ArrayLike<number>, time: number): Float64Array {
    const user = recoveredCopy(this.config, this.users[userId], time);
    const u = Array.from(slate, (itemId) => this.utility.clickUtility(user, this.items.rows, itemId));
    return this.choice.clickProbabilities(u);
  }

  trueUtility(userId: number, itemId: number, time: number): number {
    const user = this.users[userId];
    recover(this.config, user, time);
    return this.utility.trueUtility(user, this.items.rows, itemId);
  }

  firstVisit(userId: number): number {
    return this.rng.sessions.at(userId, 0, 0).exponential(this.config.users.returns.base_per_day);
  }

  startSession(userId: number): void {
    this.active.set(userId, { badSlates: 0, utilitySum: 0 });
  }

  afterSlate(userId: number, requests: number, outcome: SlateOutcome): FollowUp {
    const session = this.sessionOf(userId);
    const user = this.users[userId];
    const { sessions } = this.config.users;
    let goOn: boolean;
    let delay = sessions.think_time;
    if (outcome.response) {
      session.utilitySum += outcome.trueUtility;
      goOn = this.rng.sessions.at(userId, user.sessions, requests).bernoulli(sessions.continue_after_watch);
      delay += outcome.response.watchMinutes / MINUTES_PER_DAY;
    } else {
      session.badSlates += 1;
      session.utilitySum -= EMPTY_SLATE_COST;
      goOn = session.badSlates < user.patience;
    }
    return goOn && requests < sessions.max_requests ? { kind: 'request', delay } : { kind: 'end' };
  }

  endSession(userId: number, requests: number, time: number): SessionEnding {
    const session = this.sessionOf(userId);
    this.active.delete(userId);
    const satisfaction = session.utilitySum / Math.max(1, requests);
    const user = this.users[userId];
    this.recordSession(user, satisfaction);
    const rng = this.rng.sessions.at(userId, user.sessions, 0);
    if (rng.bernoulli(churnChance(this.config.users, user.satisfaction))) {
      user.churned = true;
      return { satisfaction, returnAt: undefined };
    }
    return { satisfaction, returnAt: time + rng.exponential(returnsPerDay(this.config.users, user.satisfaction)) };
  }

  endStep(userId: number, outcome: SlateOutcome): void {
    this.recordSession(this.users[userId], outcome.response ? outcome.trueUtility : -EMPTY_SLATE_COST);
  }

  private recordSession(user: SatisfactionUser, score: number): void {
    user.sessions += 1;
    user.satisfaction = (1 - SATISFACTION_SMOOTHING) * user.satisfaction + SATISFACTION_SMOOTHING * score;
  }

  private sessionOf(userId: number): ActiveSession {
    const session = this.active.get(userId);
    if (!session) throw new Error(`user ${userId} has no active session`);
    return session;
  }
}

type SatisfactionUsers = Config['users'];

/** How often a user at running satisfaction `satisfaction` comes back: sessions a day. */
export function returnsPerDay(users: Pick<SatisfactionUsers, 'returns'>, satisfaction: number): number {
  const { base_per_day, satisfaction_weight } = users.returns;
  return base_per_day * Math.exp(satisfaction_weight * (satisfaction - NEUTRAL_SATISFACTION));
}

/** The chance a user at running satisfaction `satisfaction` leaves for good after a session. */
export function churnChance(users: Pick<SatisfactionUsers, 'churn'>, satisfaction: number): number {
  const { base, satisfaction_weight } = users.churn;
  return Math.min(1, base * Math.exp(-satisfaction_weight * (satisfaction - NEUTRAL_SATISFACTION)));
}

/** Slates in a session whose every slate gets a watch: each goes on with chance c, up to max_requests. */
export function slatesPerWatchedSession(users: Pick<SatisfactionUsers, 'sessions'>): number {
  const { continue_after_watch: c, max_requests } = users.sessions;
  return c < 1 ? (1 - c ** max_requests) / (1 - c) : max_requests;
}

const fields = {
    preferences: z
      .strictObject({
        /** Dirichlet concentration of a user's topic preferences: small values make focused users. */
        topic_concentration: positive.default(0.3),
      })
      .prefault({}),
    drift: z
      .strictObject({
        /** How far each consumed item pulls the user's preferences toward itself. */
        toward_consumed: probability.default(0.02),
      })
      .prefault({}),
    satiation: z
      .strictObject({
        per_view: rate.default(0.15),
        recovery_per_day: rate.default(0.5),
        weight: rate.default(1),
      })
      .prefault({}),
    patience: z
      .strictObject({
        /** Mean number of slates without a click before a session ends. */
        bad_slates: positive.default(3),
      })
      .prefault({}),
    sessions: z
      .strictObject({
        max_requests: positiveCount.default(20),
        /** Chance the user asks for another slate after watching something. */
        continue_after_watch: probability.default(0.85),
        think_time: duration.prefault('20s'),
      })
      .prefault({}),
    returns: z
      .strictObject({
        base_per_day: positive.default(0.6),
        satisfaction_weight: rate.default(1.5),
      })
      .prefault({}),
    churn: z
      .strictObject({
        /** Chance of leaving for good after a session of neutral satisfaction. */
        base: probability.default(0.01),
        satisfaction_weight: rate.default(2),
      })
      .prefault({}),
};

// Typed by hand: the scenario schema is derived from this entry, so its type cannot wait for WorldConfig.
export const satisfactionUsers: UserModelEntry<'satisfaction', typeof fields> = defineUserModel({
  name: 'satisfaction',
  fields,
  build: (context) => new SatisfactionUserModel(context),
});
