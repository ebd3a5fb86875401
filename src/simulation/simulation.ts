/**
 * The closed loop. Users arrive, start sessions and ask for slates; requests inside one batch
 * window are served together; users choose and respond; every impression is logged; at each
 * epoch end (one retrain period) metrics are taken, the epoch's log is handed on, and the
 * recommender retrains on the log window. The world draws only from its own streams, so the
 * same scenario and seed replay exactly. The loop builds nothing: it receives the world, the
 * recommender and the metrics (build.ts builds them from a scenario).
 */
import { setImmediate as afterQueued } from 'node:timers/promises';
import { Kernel } from '../core/index.js';
import type { EpochBounds, SimEvent } from '../metrics/index.js';
import type { Recommender, RecRequest, Slate, SlateFeedback } from '../recommender/types.js';
import type { ScheduleConfig } from '../scenario/index.js';
import { ImpressionBuffer, type ImpressionRow } from '../training/impression-buffer.js';
import { TrainingLog } from '../training/training-log.js';
import { MINUTES_PER_DAY } from '../settings/duration.js';
import type { World } from '../world/world.js';
import type { ReplayedTraffic } from './replayed-traffic.js';
import { SessionTracker, type SlateOutcome } from './sessions.js';
import { ShardRecord, type ShardRole } from './shard-epoch.js';
import { adoptPrefs, ownedPrefs } from './shard-prefs.js';

type LoopEvent =
  | { readonly kind: 'flush' }
  | { readonly kind: 'replay' }
  | { readonly kind: 'creator_join' }
  | { readonly kind: 'upload' }
  | { readonly kind: 'signup' }
  | { readonly kind: 'step' }
  | { readonly kind: 'session_start'; readonly userId: number }
  | { readonly kind: 'request'; readonly userId: number }
  | { readonly kind: 'session_end'; readonly userId: number };

/**
 * At equal times: serve what is waiting first, then arrivals (a creator before an upload it may
 * make), then user actions; then by user (`rankOf`).
 */
const PRIORITY: Record<LoopEvent['kind'], number> = {
  flush: 0,
  replay: 0,
  creator_join: 1,
  upload: 2,
  signup: 3,
  step: 4,
  session_end: 5,
  session_start: 6,
  request: 7,
};

/**
 * An event's place among events at the same time: its kind's priority, then its user (events of
 * no user first), so the order never depends on when events were scheduled and a run split by
 * users (shard-epoch.ts) can be merged into exactly this order.
 */
function rankOf(event: LoopEvent): number {
  return PRIORITY[event.kind] * 2 ** 32 + ('userId' in event ? event.userId + 1 : 0);
}

export interface EpochResult {
  readonly bounds: EpochBounds;
  /** World metrics, then the recommender's own deterministic figures (e.g. calibration error). */
  readonly metrics: Readonly<Record<string, number>>;
  /** Wall-clock figures from the recommender (serving latency, training time); vary between runs. */
  readonly timings: Readonly<Record<string, number>>;
  /** JSON documents the recommender keeps in the run folder (e.g. calibration.json). */
  readonly files: Readonly<Record<string, unknown>>;
  /** The epoch's impressions (already in the training log; do not modify). */
  readonly impressions: ImpressionBuffer;
}

/** What the loop takes from the scenario: time, schedule, and the recommender's retrain and slate size. */
export interface LoopSettings {
  readonly horizonDays: number;
  readonly schedule: ScheduleConfig;
  /** One epoch: the recommender retrains every this many days. */
  readonly retrainEvery: number;
  /** Days of impressions the training log keeps. */
  readonly logWindow: number;
  /** The longest slate the loop accepts. */
  readonly slateSize: number;
}

/** Told every event the loop sees; gives the world's figures at each epoch end (MetricsCollector, or a composite). */
export interface EpochMetrics {
  observe(event: SimEvent): void;
  endEpoch(bounds: EpochBounds): Readonly<Record<string, number>>;
}

/** What one run is made of. The loop changes the world and the recommender: a set of parts runs once. */
export interface SimulationParts {
  readonly world: World;
  readonly recommender: Recommender;
  readonly metrics: EpochMetrics;
  readonly settings: LoopSettings;
  /** Name logged with every impression (experiments run several arms); default: the recommender's name. */
  readonly arm?: string;
  /** Arm of each user's impressions, when arms share one world (user-split experiments); overrides `arm`. */
  readonly armOf?: (userId: number) => string;
  /** This thread's users and exchange, when the run is split by users over threads (shard-epoch.ts). */
  readonly shard?: ShardRole;
  /** Serve this logged traffic instead of the world's arrivals and returns (a counterfactual replay, src/replay). */
  readonly traffic?: ReplayedTraffic;
}

export class Simulation {
  readonly world: World;
  readonly recommender: Recommender;
  readonly epochs: readonly EpochBounds[];
  private readonly kernel = new Kernel<LoopEvent>();
  private readonly metrics: EpochMetrics;
  private readonly settings: LoopSettings;
  private readonly sessions: SessionTracker;
  private readonly trainingLog: TrainingLog;
  private readonly arm: string;
  private readonly armOf: ((userId: number) => string) | undefined;
  private readonly batchWindow: number;
  private pending: RecRequest[] = [];
  /** Each pending request's place: the time and rank of the event that made it. */
  private pendingKeys: number[] = [];
  /** The kernel event being handled (time, rank): every event the loop records happens inside one. */
  private clockTime = 0;
  private clockRank = 0;
  private readonly shard: ShardRole | undefined;
  private readonly record: ShardRecord | undefined;
  private flushHandle: ReturnType<Kernel<LoopEvent>['schedule']> | undefined;
  private readonly traffic: ReplayedTraffic | undefined;
  /** The next replayed slate to serve, and its batch's scheduled event. */
  private replayCursor = 0;
  private replayHandle: ReturnType<Kernel<LoopEvent>['schedule']> | undefined;
  /** Which replayed slate the next slate presented is. */
  private replayServed = 0;
  private impressions = new ImpressionBuffer(1 << 14);
  private readonly row: ImpressionRow = {
    time: 0,
    epoch: 0,
    slateId: 0,
    userId: 0,
    itemId: 0,
    position: 0,
    arm: '',
    source: '',
    propensity: 1,
    clicked: false,
    watchMinutes: 0,
    watchFraction: 0,
    completed: false,
    liked: false,
    survey: null,
    hourOfDay: 0,
    pastSessions: 0,
    requestInSession: 0,
  };
  private epoch = 0;
  private nextSlateId = 0;
  /** Epochs run to their end (retrained and handed on). */
  private epochsDone = 0;

  constructor(parts: SimulationParts) {
    const { settings } = parts;
    this.world = parts.world;
    this.recommender = parts.recommender;
    this.metrics = parts.metrics;
    this.settings = settings;
    this.arm = parts.arm ?? this.recommender.name;
    this.armOf = parts.armOf;
    this.shard = parts.shard;
    this.record = parts.shard ? new ShardRecord() : undefined;
    this.traffic = parts.traffic;
    if (this.traffic && (settings.schedule.kind !== 'continuous' || this.shard)) {
      throw new Error('a replayed traffic needs the continuous schedule on one thread');
    }
    this.sessions = new SessionTracker(this.world, (event) => this.observe(event));
    this.trainingLog = new TrainingLog(settings.logWindow);
    this.batchWindow = settings.schedule.kind === 'continuous' ? settings.schedule.batch_window : 0;
    this.epochs = epochBounds(settings.horizonDays, settings.retrainEvery);
    this.scheduleArrivals();
  }

  /** Runs every epoch; `onEpoch` gets each epoch's figures and log once the recommender has retrained on it. */
  async run(onEpoch: (result: EpochResult) => void | Promise<void> = () => {}): Promise<void> {
    // From the first epoch not yet run: a run restored from a checkpoint goes on where it stopped.
    for (const bounds of this.epochs.slice(this.epochsDone)) {
      this.epoch = bounds.epoch;
      this.kernel.runUntil(bounds.end, (event, time) => this.handle(event, time));
      if (this.flushHandle) this.kernel.cancel(this.flushHandle);
      this.clockTime = bounds.end;
      this.clockRank = 0;
      this.flush(bounds.end);
      // The log's last batch of an epoch was served at its end, before the retrain.
      if (this.traffic && this.traffic.times[this.replayCursor] === bounds.end) this.replayBatch(bounds.end);
      const { impressions, events } = this.shard ? await this.mergeShards(bounds.epoch) : { impressions: this.impressions.trimmed(), events: [] };
      this.trainingLog.add({ epoch: bounds.epoch, start: bounds.start, end: bounds.end, impressions });
      // Room for a day's growth in traffic: a full buffer doubles, copying every row it holds.
      this.impressions = new ImpressionBuffer(Math.max(1 << 14, Math.ceil(1.25 * this.impressions.length)));
      // The metrics read the world, which a retrain leaves alone: they take the epoch while the
      // retrain waits on other threads (an index build, a model another thread trains).
      const [worldMetrics] = await Promise.all([
        whenIdle(() => {
          for (const event of events) this.metrics.observe(event);
          return this.metrics.endEpoch(bounds);
        }),
        this.recommender.retrain(this.trainingLog, bounds.end),
      ]);
      const diagnostics = this.recommender.diagnostics?.() ?? { metrics: {}, timings: {} };
      const metrics = mergeRows(worldMetrics, diagnostics.metrics);
      this.epochsDone = bounds.epoch + 1;
      await onEpoch({ bounds, metrics, timings: diagnostics.timings, files: diagnostics.files ?? {}, impressions });
    }
  }

  /**
   * Hands this shard's epoch over, and takes the run's back: the other shards' feedback goes to the
   * recommender; the merged impressions are the epoch's log and the merged events the metrics'.
   */
  private async mergeShards(epoch: number): Promise<{ impressions: ImpressionBuffer; events: Iterable<SimEvent> }> {
    const { shard, record, world } = this;
    if (!shard || !record) throw new Error('not a shard');
    const tally = this.recommender.tally;
    const merged = await shard.exchange.endEpoch(epoch, record.take(this.impressions, ownedPrefs(world, shard), tally?.take() ?? new Float64Array(0)));
    tally?.replace(merged.tally);
    if (merged.prefs) adoptPrefs(world, shard, merged.prefs);
    for (const feedback of merged.replay) this.recommender.observe?.(feedback);
    this.nextSlateId = merged.slates;
    return { impressions: merged.impressions, events: merged.events ?? [] };
  }

  private owns(userId: number): boolean {
    return this.shard === undefined || userId % this.shard.count === this.shard.index;
  }

  private schedule(time: number, event: LoopEvent): ReturnType<Kernel<LoopEvent>['schedule']> {
    return this.kernel.schedule(time, rankOf(event), event);
  }

  private scheduleArrivals(): void {
    const { world, settings } = this;
    const { users, items } = world.config;
    if (items.new_creators_per_day > 0) this.schedule(world.rng.creatorJoins.exponential(items.new_creators_per_day), { kind: 'creator_join' });
    if (items.uploads_per_day > 0) this.schedule(world.rng.uploads.exponential(items.uploads_per_day), { kind: 'upload' });
    if (users.signups_per_day > 0) this.schedule(world.rng.signups.exponential(users.signups_per_day), { kind: 'signup' });
    if (settings.schedule.kind === 'steps') {
      this.schedule(0, { kind: 'step' });
    } else if (this.traffic) {
      this.scheduleReplay();
    } else {
      for (let u = 0; u < world.users.size; u++) {
        if (this.owns(u)) this.schedule(world.userModel.firstVisit(u), { kind: 'session_start', userId: u });
      }
    }
  }

  private handle(event: LoopEvent, time: number): void {
    const { world, settings } = this;
    const { users, items } = world.config;
    this.clockTime = time;
    this.clockRank = rankOf(event);
    switch (event.kind) {
      case 'creator_join': {
        // Every shard replays the same joins from the world's own streams, like uploads; metrics read them through the view.
        world.items.join(time);
        this.schedule(time + world.rng.creatorJoins.exponential(items.new_creators_per_day), event);
        return;
      }
      case 'upload': {
        const itemId = world.items.create(time);
        this.observeArrival({ kind: 'upload', time, itemId });
        this.schedule(time + world.rng.uploads.exponential(items.uploads_per_day), event);
        return;
      }
      case 'signup': {
        const userId = world.users.create(time);
        this.observeArrival({ kind: 'signup', time, userId });
        if (settings.schedule.kind === 'continuous' && this.owns(userId) && !this.traffic) this.schedule(time, { kind: 'session_start', userId });
        this.schedule(time + world.rng.signups.exponential(users.signups_per_day), event);
        return;
      }
      case 'step': {
        // Synchronous schedule: every user asks for one slate per step, all served as one batch, in user order.
        for (let u = 0; u < world.users.size; u++) {
          if (!this.owns(u)) continue;
          this.pending.push(this.makeRequest(u, time, 0));
          this.pendingKeys.push(time, u + 1);
        }
        this.flush(time);
        if (settings.schedule.kind === 'steps') this.schedule(time + settings.schedule.step, event);
        return;
      }
      case 'session_start': {
        if (world.users.stateOf(event.userId).churned) return;
        this.sessions.start(event.userId, time);
        this.enqueue(this.makeRequest(event.userId, time, 0), time);
        return;
      }
      case 'request': {
        this.enqueue(this.makeRequest(event.userId, time, this.sessions.requestsSoFar(event.userId)), time);
        return;
      }
      case 'session_end': {
        const next = this.sessions.end(event.userId, time);
        if (next !== undefined && !this.traffic) this.schedule(next, { kind: 'session_start', userId: event.userId });
        return;
      }
      case 'replay': {
        this.replayHandle = undefined;
        this.replayBatch(time);
        return;
      }
      case 'flush': {
        this.flushHandle = undefined;
        this.flush(time);
        return;
      }
    }
  }

  /** An event about a user or a slate: a shard records it with its place, one thread tells the metrics at once. */
  private observe(event: SimEvent, requestTime = 0, requestRank = 0): void {
    if (this.record) this.record.add(event, this.clockTime, this.clockRank, requestTime, requestRank);
    else this.metrics.observe(event);
  }

  /** An upload or sign-up happens on every shard alike; the first one records it. */
  private observeArrival(event: SimEvent): void {
    if (this.shard === undefined || this.shard.index === 0) this.observe(event);
  }

  /** A request made at `time`; a replayed one brings the hour it was logged in. */
  private makeRequest(userId: number, time: number, requestInSession: number, hourOfDay = Math.floor((time - Math.floor(time)) * 24)): RecRequest {
    const user = this.world.users.public.get(userId);
    return {
      slateId: this.nextSlateId++,
      userId,
      time,
      hourOfDay,
      device: user.device,
      requestInSession,
      pastSessions: this.world.users.stateOf(userId).sessions,
    };
  }

  private enqueue(request: RecRequest, time: number): void {
    this.pending.push(request);
    this.pendingKeys.push(this.clockTime, this.clockRank);
    if (this.batchWindow === 0) {
      this.flush(time);
    } else if (this.flushHandle === undefined) {
      const windowEnd = (Math.floor(time / this.batchWindow) + 1) * this.batchWindow;
      this.flushHandle = this.schedule(windowEnd, { kind: 'flush' });
    }
  }

  /** Serves every waiting request in one call, then lets each user react, in request order. */
  private flush(time: number): void {
    if (this.pending.length === 0) return;
    const requests = this.pending;
    const keys = this.pendingKeys;
    this.pending = [];
    this.pendingKeys = [];
    this.flushHandle = undefined;
    const slates = this.recommender.serve(requests);
    if (slates.length !== requests.length) {
      throw new Error(`recommender ${this.recommender.name} returned ${slates.length} slates for ${requests.length} requests`);
    }
    for (let r = 0; r < requests.length; r++) this.present(requests[r], slates[r], time, keys[2 * r], keys[2 * r + 1]);
  }

  private present(request: RecRequest, slate: Slate, time: number, requestTime: number, requestRank: number): void {
    this.checkSlate(request, slate);
    const outcome = this.sessions.present(request.userId, slate, time);
    const { clicked, response } = outcome;
    // One row object, refilled per impression: the log copies it into its columns.
    const row = this.row;
    row.time = time;
    row.epoch = this.epoch;
    row.slateId = slate.slateId;
    row.userId = request.userId;
    row.arm = this.armOf ? this.armOf(request.userId) : this.arm;
    row.hourOfDay = request.hourOfDay;
    row.pastSessions = request.pastSessions;
    row.requestInSession = request.requestInSession;
    for (let p = 0; p < slate.entries.length; p++) {
      const entry = slate.entries[p];
      const hit = p === clicked && response !== undefined;
      row.itemId = entry.itemId;
      row.position = p;
      row.source = entry.source;
      row.propensity = entry.propensity;
      row.clicked = hit;
      row.watchMinutes = hit ? response.watchMinutes : 0;
      row.watchFraction = hit ? response.watchFraction : 0;
      row.completed = hit ? response.completed : false;
      row.liked = hit ? response.liked : false;
      row.survey = hit ? response.survey : null;
      this.impressions.append(row);
    }
    const items = new Array<number>(slate.entries.length);
    for (let p = 0; p < items.length; p++) items[p] = slate.entries[p].itemId;
    const event: SimEvent = {
      kind: 'slate',
      time,
      userId: request.userId,
      slateId: slate.slateId,
      items,
      clicked,
      watchMinutes: response?.watchMinutes ?? 0,
      trueUtility: outcome.trueUtility,
    };
    this.observe(event, requestTime, requestRank);
    const feedback: SlateFeedback = {
      request,
      slate,
      clicked,
      watchMinutes: response?.watchMinutes ?? 0,
      watchFraction: response?.watchFraction ?? 0,
      completed: response?.completed ?? false,
      liked: response?.liked ?? false,
      survey: response?.survey ?? null,
    };
    this.recommender.observe?.(feedback);
    this.record?.addFeedback(feedback);
    if (this.settings.schedule.kind === 'steps') {
      this.sessions.recordStep(request.userId, outcome);
      return;
    }
    const follow = this.sessions.next(request.userId, outcome);
    if (this.traffic) return this.replayFollowUp(request.userId, outcome, time);
    const watchDays = (response?.watchMinutes ?? 0) / MINUTES_PER_DAY;
    if (follow.kind === 'request') this.schedule(time + follow.delay, { kind: 'request', userId: request.userId });
    else this.schedule(time + watchDays, { kind: 'session_end', userId: request.userId });
  }

  /** The replayed traffic's next batch: the slates the log served at one time. */
  private scheduleReplay(): void {
    const traffic = this.traffic;
    if (traffic && this.replayCursor < traffic.size) this.replayHandle = this.schedule(traffic.times[this.replayCursor], { kind: 'replay' });
  }

  /** Serves every logged slate of time `time` as one batch, starting the sessions that begin with one. */
  private replayBatch(time: number): void {
    const traffic = this.traffic;
    if (!traffic) return;
    if (this.replayHandle) this.kernel.cancel(this.replayHandle);
    this.replayHandle = undefined;
    this.replayServed = this.replayCursor;
    for (; this.replayCursor < traffic.size && traffic.times[this.replayCursor] === time; this.replayCursor++) {
      const userId = traffic.users[this.replayCursor];
      const inSession = traffic.requestInSession[this.replayCursor];
      if (inSession === 0) this.sessions.start(userId, time);
      this.pending.push(this.makeRequest(userId, time, inSession, traffic.hourOfDay[this.replayCursor]));
      this.pendingKeys.push(this.clockTime, this.clockRank);
    }
    this.flush(time);
    this.scheduleReplay();
  }

  /**
   * After a replayed slate the log, not the world, says whether the session goes on. A session
   * ends when the user has watched, but before the log's next session of that user starts,
   * however long the user watched here.
   */
  private replayFollowUp(userId: number, outcome: SlateOutcome, time: number): void {
    const traffic = this.traffic;
    const index = this.replayServed++;
    if (!traffic || traffic.lastOfSession[index] === 0) return;
    const watchDays = (outcome.response?.watchMinutes ?? 0) / MINUTES_PER_DAY;
    this.schedule(Math.min(time + watchDays, (time + traffic.nextSessionAt[index]) / 2), { kind: 'session_end', userId });
  }

  private checkSlate(request: RecRequest, slate: Slate): void {
    const name = this.recommender.name;
    if (slate.slateId !== request.slateId) throw new Error(`recommender ${name} answered request ${request.slateId} with slate ${slate.slateId}`);
    if (slate.entries.length > this.settings.slateSize) {
      throw new Error(`recommender ${name} returned ${slate.entries.length} items; slate_size is ${this.settings.slateSize}`);
    }
    const catalogSize = this.world.items.size;
    const { entries } = slate;
    for (let p = 0; p < entries.length; p++) {
      const itemId = entries[p].itemId;
      if (!Number.isInteger(itemId) || itemId < 0 || itemId >= catalogSize) throw new Error(`recommender ${name} returned unknown item ${itemId}`);
      // Slates are short: a pairwise scan allocates nothing, unlike a Set per slate.
      for (let q = 0; q < p; q++) {
        if (entries[q].itemId === itemId) throw new Error(`recommender ${name} returned item ${itemId} twice in one slate`);
      }
    }
  }
}

/** Epoch k covers [k·period, (k+1)·period), the last one cut at the horizon. */
export function epochBounds(horizon: number, period: number): EpochBounds[] {
  const count = Math.ceil(horizon / period - 1e-9);
  return Array.from({ length: count }, (_, epoch) => ({
    epoch,
    start: epoch * period,
    end: Math.min(horizon, (epoch + 1) * period),
  }));
}

/** Appends the recommender's figures to the world's, refusing a name both use. */
function mergeRows(world: Readonly<Record<string, number>>, recommender: Readonly<Record<string, number>>): Record<string, number> {
  for (const key of Object.keys(recommender)) {
    if (key in world) throw new Error(`recommender figure "${key}" clashes with a world metric of the same name`);
  }
  return { ...world, ...recommender };
}

/** Runs `work` once the thread has nothing queued (microtasks, such as a retrain's synchronous steps, run first). */
async function whenIdle<T>(work: () => T): Promise<T> {
  await afterQueued();
  return work();
}
