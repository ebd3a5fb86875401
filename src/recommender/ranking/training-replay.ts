/**
 * The ranker's features over the log, kept from retrain to retrain. The log is replayed in time
 * order once, as a feature store streams it: each row's features are those its slate had
 * *before* its own outcome was added (no example sees its own label), from every row replayed
 * so far — the user's last clicks, their decayed topic engagement and the items' decayed
 * statistics, the same streams serving reads in real time. A retrain replays only the epochs
 * logged since the last one; when its examples reach back into epochs replayed before, their
 * rows are copied from the last retrain's, not recomputed.
 *
 * Replaying the whole window at every retrain cost time in proportion to the window (at 100k
 * users, 7 days of log, a large share of a retrain) and gave the window's first rows less
 * history than serving had. A log whose epochs do not follow on from those replayed (another
 * run's, or one that dropped epochs the replay never saw) starts the replay afresh from its first.
 */
import { slateEnd, type ImpressionColumns } from '../../training/impression-buffer.js';
import type { TrainingLog } from '../../training/training-log.js';
import { UserHistory } from '../../training/user-history.js';
import type { Device, PublicCatalog, PublicUsers } from '../../world/public.js';
import { UserSummary, type FeatureWriter } from './features.js';
import { ItemStats } from './item-stats.js';
import { UserEngagement } from './user-engagement.js';

interface MutableContext {
  userId: number;
  time: number;
  hourOfDay: number;
  device: Device;
  pastSessions: number;
  requestInSession: number;
}

/** The last epoch replayed, to tell whether a log follows on from it. */
interface ReplayedEpoch {
  readonly epoch: number;
  readonly end: number;
  readonly rows: number;
}

export class TrainingReplay {
  history: UserHistory;
  stats = new ItemStats();
  engagement: UserEngagement;
  private readonly summary: UserSummary;
  private readonly ctx: MutableContext = { userId: 0, time: 0, hourOfDay: 0, device: 'mobile', pastSessions: 0, requestInSession: 0 };
  private last: ReplayedEpoch | null = null;
  /** Raw features of the last call's examples: the last rows replayed. */
  private kept = new Float32Array(0);

  constructor(
    private readonly historyLength: number,
    private readonly topics: number,
    private readonly catalog: PublicCatalog,
  ) {
    this.history = new UserHistory(historyLength);
    this.engagement = new UserEngagement(topics, catalog);
    this.summary = new UserSummary(topics);
  }

  /**
   * Raw features (n × dim, time order) of the last n rows of the log window, replaying only the
   * epochs not replayed yet. The returned array is the caller's to change.
   */
  features(log: TrainingLog, n: number, writer: FeatureWriter, users: PublicUsers): Float32Array {
    const { dim } = writer.layout;
    const chunks = log.chunks;
    const first = log.rows - n; // window row of example 0
    let firstNew = this.followsOn(log);
    let oldRows = 0;
    for (let k = 0; k < firstNew; k++) oldRows += chunks[k].impressions.length;
    if (firstNew < 0 || oldRows - first > this.kept.length / dim) {
      this.reset();
      firstNew = 0;
      oldRows = 0;
    }
    const x = new Float32Array(n * dim);
    // Examples from epochs replayed before: the last rows the previous call kept, copied.
    if (first < oldRows) x.set(this.kept.subarray(this.kept.length - (oldRows - first) * dim), 0);

    let w = oldRows; // window row
    for (let k = firstNew; k < chunks.length; k++) {
      const c = chunks[k].impressions.columns;
      const rows = c.slate_row.length;
      for (let start = 0; start < rows; ) {
        const end = slateEnd(c, start);
        if (w + (end - start) > first) this.writeSlate(x, w - first, c, start, end, writer, users);
        this.addSlate(c, start, end);
        w += end - start;
        start = end;
      }
      const chunk = chunks[k];
      this.last = { epoch: chunk.epoch, end: chunk.end, rows };
    }
    this.kept = x.slice();
    return x;
  }

  /** Index of the log's first epoch not replayed yet, or -1 when the log does not follow on from the replay. */
  private followsOn(log: TrainingLog): number {
    const chunks = log.chunks;
    const last = this.last;
    if (last === null || chunks.length === 0) return 0;
    const firstNew = chunks.findIndex((c) => c.epoch > last.epoch);
    const next = firstNew < 0 ? chunks.length : firstNew;
    if (next > 0) {
      const previous = chunks[next - 1];
      return previous.epoch === last.epoch && previous.end === last.end && previous.impressions.length === last.rows ? next : -1;
    }
    return Math.abs(chunks[0].start - last.end) < 1e-9 ? 0 : -1;
  }

  private reset(): void {
    this.history = new UserHistory(this.historyLength);
    this.stats = new ItemStats();
    this.engagement = new UserEngagement(this.topics, this.catalog);
    this.last = null;
    this.kept = new Float32Array(0);
  }

  /** Writes the rows of slate [start, end) whose example index (e0 + i - start) is 0 or more. */
  private writeSlate(x: Float32Array, e0: number, c: ImpressionColumns, start: number, end: number, writer: FeatureWriter, users: PublicUsers): void {
    const { ctx, stats } = this;
    const s = c.slate_row[start];
    const userId = c.slates.user_id[s];
    const time = c.slates.time[s];
    this.summary.fill(this.history, this.engagement, userId, time, stats.globalClickRate(time), this.catalog);
    ctx.userId = userId;
    ctx.time = time;
    // The request's context as logged; the device is the user's public one, as when it was served.
    ctx.device = users.get(userId).device;
    ctx.hourOfDay = c.slates.hour_of_day[s];
    ctx.pastSessions = c.slates.past_sessions[s];
    ctx.requestInSession = c.slates.request_in_session[s];
    if (!contextLogged(c, start)) {
      // Logged without it (e.g. a log from elsewhere): the hour of the row's time, a first request.
      ctx.hourOfDay = Math.floor((time - Math.floor(time)) * 24);
      ctx.pastSessions = 0;
      ctx.requestInSession = 0;
    }
    for (let i = Math.max(start, start - e0); i < end; i++) writer.write(x, e0 + i - start, ctx, this.summary, c.item_id[i], stats, time);
  }

  /** Only now does the slate's outcome become history. */
  private addSlate(c: ImpressionColumns, start: number, end: number): void {
    const { time, user_id } = c.slates;
    const userId = user_id[c.slate_row[start]];
    let clickedItem = -1;
    for (let i = start; i < end; i++) {
      const t = time[c.slate_row[i]];
      this.stats.add(c.item_id[i], t, c.clicked[i], c.watch_fraction[i], c.completed[i], c.liked[i], c.survey[i]);
      if (c.clicked[i] === 1) {
        this.history.record(userId, c.item_id[i], t);
        clickedItem = c.item_id[i];
      }
    }
    this.engagement.addSlate(userId, time[c.slate_row[start]], c.item_id.subarray(start, end), clickedItem);
  }
}

/** Whether the slate starting at row `start` was logged with its request context (hour, sessions). */
export function contextLogged(c: ImpressionColumns, start: number): boolean {
  const s = c.slate_row[start];
  return c.slates.hour_of_day[s] >= 0 && c.slates.past_sessions[s] >= 0 && c.slates.request_in_session[s] >= 0;
}

