/**
 * A recommender of your own: the items most clicked lately by users on the same device as the
 * requesting user (phone, desktop or TV audiences like different things), never one the user
 * already clicked. When a device's list runs short it is topped up from every device's clicks,
 * so every item it shows was clicked by someone in the log window. Used from a scenario as
 *   recommender: { kind: module, path: ./my-recommender.ts, window: 2d }
 * with the fields every kind shares (slate_size, retrain, random_startup, ...) beside its own.
 * Outside this repository, import from 'recloop/plugins' instead of the relative path.
 */
import { positiveDuration, recommenderKind, type Device, type PublicUsers, type RecRequest, type Recommender, type Slate, type TrainingLog } from '../../src/plugins/api.js';

const SOURCE = 'same_device';

class SameDeviceRecommender implements Recommender {
  readonly name = SOURCE;
  /** Items by clicks, most first (ties: lower id), per device and over every device. */
  private byDevice = new Map<Device, readonly number[]>();
  private overall: readonly number[] = [];
  private clickedBy = new Map<number, Set<number>>();

  constructor(
    private readonly users: PublicUsers,
    private readonly slateSize: number,
    private readonly windowDays: number,
  ) {}

  retrain(log: TrainingLog, now: number): void {
    const since = now - this.windowDays;
    const counts = new Map<Device, Map<number, number>>();
    const overall = new Map<number, number>();
    this.clickedBy = new Map();
    for (const chunk of log.chunks) {
      // A slate's time and user are kept once a slate: row i's are at slate_row[i] in `slates`.
      const { slate_row, slates, item_id, clicked } = chunk.impressions.columns;
      for (let i = 0; i < item_id.length; i++) {
        if (clicked[i] === 0 || slates.time[slate_row[i]] < since) continue;
        const userId = slates.user_id[slate_row[i]];
        const device = this.users.get(userId).device;
        const forDevice = counts.get(device) ?? new Map<number, number>();
        counts.set(device, forDevice);
        forDevice.set(item_id[i], (forDevice.get(item_id[i]) ?? 0) + 1);
        overall.set(item_id[i], (overall.get(item_id[i]) ?? 0) + 1);
        const seen = this.clickedBy.get(userId) ?? new Set<number>();
        this.clickedBy.set(userId, seen);
        seen.add(item_id[i]);
      }
    }
    this.byDevice = new Map([...counts].map(([device, clicks]) => [device, ranked(clicks)]));
    this.overall = ranked(overall);
  }

  serve(requests: readonly RecRequest[]): Slate[] {
    return requests.map((request) => {
      const seen = this.clickedBy.get(request.userId);
      const chosen = new Set<number>();
      for (const list of [this.byDevice.get(request.device) ?? [], this.overall]) {
        for (const itemId of list) {
          if (chosen.size >= this.slateSize) break;
          if (!seen?.has(itemId)) chosen.add(itemId);
        }
      }
      // Deterministic: every slot is this rule's choice, at propensity 1.
      return { slateId: request.slateId, entries: [...chosen].map((itemId) => ({ itemId, source: SOURCE, propensity: 1 })) };
    });
  }
}

function ranked(clicks: ReadonlyMap<number, number>): number[] {
  return [...clicks].sort(([a, n], [b, m]) => m - n || a - b).map(([itemId]) => itemId);
}

export default recommenderKind({
  name: SOURCE,
  settings: {
    /** Clicks count over this trailing window of the log. */
    window: positiveDuration.prefault(2),
  },
  ranker: false,
  // Its own check across fields: the window must fit in what a retrain is given.
  check: (config) =>
    config.window > config.retrain.window
      ? [{ paths: [['recommender', 'window']], message: `window (${config.window} days) is longer than recommender.retrain.window (${config.retrain.window} days), which is all the log a retrain sees` }]
      : [],
  // ctx is what every built-in kind gets: the public catalog and users, the slate size, random streams.
  build: (config, ctx) => new SameDeviceRecommender(ctx.users, ctx.slateSize, config.window),
});
