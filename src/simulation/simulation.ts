/**
 * The closed loop. Users arrive, start sessions and ask for slates; requests inside one batch
 * window are served together; users choose and respond; every impression is logged; at each
 * epoch end (one retrain period) metrics are taken, the epoch's log is handed on, and the
 * recommender retrains on the log window. The world draws only from its own streams, so the
 * same scenario and seed replay exactly. The loop builds nothing: it receives the world, the
 * recommender and the metrics (build.ts builds them from a scenario).
 */
import { Kernel } from '../core/index.js';
import type { EpochBounds, SimEvent } from '../metrics/index.js';
import type { Recommender, RecRequest, Slate } from '../recommender/types.js';
import type { ScheduleConfig } from '../scenario/index.js';
import { ImpressionBuffer, type ImpressionRow } from '../training/impression-buffer.js';
import { TrainingLog } from '../training/training-log.js';
import { MINUTES_PER_DAY } from '../settings/duration.js';
import type { World } from '../world/world.js';
import { SessionTracker } from './sessions.js';

type LoopEvent =
  | { readonly kind: 'flush' }
  | { readonly kind: 'upload' }
  | { readonly kind: 'signup' }
  | { readonly kind: 'step' }
  | { readonly kind: 'session_start'; readonly userId: number }
  | { readonly kind: 'request'; readonly userId: number }
  | { readonly kind: 'session_end'; readonly userId: number };

/** At equal times: serve what is waiting first, then arrivals, then user actions. */
const PRIORITY: Record<LoopEvent['kind'], number> = {
  flush: 0,
  upload: 1,
  signup: 2,
  step: 3,
  session_end: 4,
  session_start: 5,
  request: 6,
};

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
  private flushHandle: ReturnType<Kernel<LoopEvent>['schedule']> | undefined;
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

  constructor(parts: SimulationParts) {
    const { settings } = parts;
    this.world = parts.world;
    this.recommender = parts.recommender;
    this.metrics = parts.metrics;
    this.settings = settings;
    this.arm = parts.arm ?? this.recommender.name;
    this.armOf = parts.armOf;
    this.sessions = new SessionTracker(this.world, (event) => this.observe(event));
    this.trainingLog = new TrainingLog(settings.logWindow);
    this.batchWindow = settings.schedule.kind === 'continuous' ? settings.schedule.batch_window : 0;
    this.epochs = epochBounds(settings.horizonDays, settings.retrainEvery);
    this.scheduleArrivals();
  }

  /** Runs every epoch; `onEpoch` gets each epoch's figures and log once the recommender has retrained on it. */
  async run(onEpoch: (result: EpochResult) => void | Promise<void> = () => {}): Promise<void> {
    for (const bounds of this.epochs) {
      this.epoch = bounds.epoch;
      this.kernel.runUntil(bounds.end, (event, time) => this.handle(event, time));
      if (this.flushHandle) this.kernel.cancel(this.flushHandle);
      this.flush(bounds.end);
      const worldMetrics = this.metrics.endEpoch(bounds);
      const impressions = this.impressions;
      this.trainingLog.add({ epoch: bounds.epoch, start: bounds.start, end: bounds.end, impressions });
      this.impressions = new ImpressionBuffer(Math.max(1 << 14, impressions.length));
      await this.recommender.retrain(this.trainingLog, bounds.end);
      const diagnostics = this.recommender.diagnostics?.() ?? { metrics: {}, timings: {} };
      const metrics = mergeRows(worldMetrics, diagnostics.metrics);
      await onEpoch({ bounds, metrics, timings: diagnostics.timings, files: diagnostics.files ?? {}, impressions });
    }
  }

  private scheduleArrivals(): void {
    const { world, kernel, settings } = this;
    const { users, items } = world.config;
    if (items.uploads_per_day > 0) kernel.schedule(world.rng.uploads.exponential(items.uploads_per_day), PRIORITY.upload, { kind: 'upload' });
    if (users.signups_per_day > 0) kernel.schedule(world.rng.signups.exponential(users.signups_per_day), PRIORITY.signup, { kind: 'signup' });
    if (settings.schedule.kind === 'steps') {
      kernel.schedule(0, PRIORITY.step, { kind: 'step' });
    } else {
      for (let u = 0; u < world.users.size; u++) {
        kernel.schedule(world.userModel.firstVisit(u), PRIORITY.session_start, { kind: 'session_start', userId: u });
      }
    }
  }

  private handle(event: LoopEvent, time: number): void {
    const { world, kernel, settings } = this;
    const { users, items } = world.config;
    switch (event.kind) {
      case 'upload': {
        const itemId = world.items.create(time);
        this.observe({ kind: 'upload', time, itemId });
        kernel.schedule(time + world.rng.uploads.exponential(items.uploads_per_day), PRIORITY.upload, event);
        return;
      }
      case 'signup': {
        const userId = world.users.create(time);
        this.observe({ kind: 'signup', time, userId });
        if (settings.schedule.kind === 'continuous') kernel.schedule(time, PRIORITY.session_start, { kind: 'session_start', userId });
        kernel.schedule(time + world.rng.signups.exponential(users.signups_per_day), PRIORITY.signup, event);
        return;
      }
      case 'step': {
        // Synchronous schedule: every user asks for one slate per step, all served as one batch.
        for (let u = 0; u < world.users.size; u++) this.pending.push(this.makeRequest(u, time, 0));
        this.flush(time);
        if (settings.schedule.kind === 'steps') kernel.schedule(time + settings.schedule.step, PRIORITY.step, event);
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
        if (next !== undefined) kernel.schedule(next, PRIORITY.session_start, { kind: 'session_start', userId: event.userId });
        return;
      }
      case 'flush': {
        this.flushHandle = undefined;
        this.flush(time);
        return;
      }
    }
  }

  private observe(event: SimEvent): void {
    this.metrics.observe(event);
  }

  private makeRequest(userId: number, time: number, requestInSession: number): RecRequest {
    const user = this.world.users.public.get(userId);
    return {
      slateId: this.nextSlateId++,
      userId,
      time,
      hourOfDay: Math.floor((time - Math.floor(time)) * 24),
      device: user.device,
      requestInSession,
      pastSessions: this.world.users.stateOf(userId).sessions,
    };
  }

  private enqueue(request: RecRequest, time: number): void {
    this.pending.push(request);
    if (this.batchWindow === 0) {
      this.flush(time);
    } else if (this.flushHandle === undefined) {
      const windowEnd = (Math.floor(time / this.batchWindow) + 1) * this.batchWindow;
      this.flushHandle = this.kernel.schedule(windowEnd, PRIORITY.flush, { kind: 'flush' });
    }
  }

  /** Serves every waiting request in one call, then lets each user react, in request order. */
  private flush(time: number): void {
    if (this.pending.length === 0) return;
    const requests = this.pending;
    this.pending = [];
    this.flushHandle = undefined;
    const slates = this.recommender.serve(requests);
    if (slates.length !== requests.length) {
      throw new Error(`recommender ${this.recommender.name} returned ${slates.length} slates for ${requests.length} requests`);
    }
    for (let r = 0; r < requests.length; r++) this.present(requests[r], slates[r], time);
  }

  private present(request: RecRequest, slate: Slate, time: number): void {
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
    this.observe(event);
    this.recommender.observe?.({
      request,
      slate,
      clicked,
      watchMinutes: response?.watchMinutes ?? 0,
      watchFraction: response?.watchFraction ?? 0,
      completed: response?.completed ?? false,
      liked: response?.liked ?? false,
      survey: response?.survey ?? null,
    });
    if (this.settings.schedule.kind === 'steps') {
      this.sessions.recordStep(request.userId, outcome);
      return;
    }
    const follow = this.sessions.next(request.userId, outcome);
    const watchDays = (response?.watchMinutes ?? 0) / MINUTES_PER_DAY;
    if (follow.kind === 'request') this.kernel.schedule(time + follow.delay, PRIORITY.request, { kind: 'request', userId: request.userId });
    else this.kernel.schedule(time + watchDays, PRIORITY.session_end, { kind: 'session_end', userId: request.userId });
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
