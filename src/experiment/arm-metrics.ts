/**
 * Per-arm metrics for a user split: one MetricsCollector per arm, fed only the events of that
 * arm's users. Each collector sees a world of its arm's users alone, under dense local ids
 * (0..n−1 in global id order), so user-counting figures (population, retention, the
 * homogenization sample) cover the arm and nothing else; items are shared by every arm, and
 * uploads go to every collector. Each row also gets `user_share`: the arm's share of all users.
 */
import { grown } from '../core/typed-arrays.js';
import { createDefaultMetrics, MetricsCollector, type EpochBounds, type MetricSettings, type SimEvent, type WorldView } from '../metrics/index.js';
import type { RandomStreams } from '../rng/index.js';
import type { Device } from '../world/public.js';
import type { UserAssignment } from './assignment.js';

export interface ArmMetricsOptions {
  /** The scenario's `metrics:` section. */
  readonly settings: MetricSettings;
  /** Root streams of the replica; each arm's homogenization sample gets its own stream. */
  readonly streams: RandomStreams;
  /** A user's device by global id: each arm has the device slices a single run has. */
  readonly userDevice: (userId: number) => Device;
}

export class ArmMetrics {
  private readonly collectors: MetricsCollector[];
  /** Global ids of each arm's users, ascending. */
  private readonly members: number[][];
  /** Global id → [arm, local id], for ids registered so far. */
  private armOf: Int32Array = new Int32Array(0);
  private localOf: Int32Array = new Int32Array(0);
  private registered = 0;

  constructor(
    private readonly world: WorldView,
    private readonly assignment: UserAssignment,
    options: ArmMetricsOptions,
  ) {
    this.members = assignment.names.map(() => []);
    this.collectors = assignment.names.map(
      (name, arm) =>
        new MetricsCollector(
          createDefaultMetrics(armWorldView(world, this.members[arm]), options.settings, {
            sampler: options.streams.stream(`metrics/arm:${name}/homogenization-sample`),
            userDevice: (local) => options.userDevice(this.members[arm][local]),
          }),
        ),
    );
  }

  observe(event: SimEvent): void {
    if (event.kind === 'upload') {
      for (const collector of this.collectors) collector.observe(event);
      return;
    }
    this.registerUpTo(event.userId + 1);
    this.collectors[this.armOf[event.userId]].observe({ ...event, userId: this.localOf[event.userId] });
  }

  /** One row per arm, in the assignment's arm order. */
  endEpoch(bounds: EpochBounds): Record<string, number>[] {
    this.registerUpTo(this.world.userCount());
    const total = Math.max(1, this.registered);
    return this.collectors.map((collector, arm) => ({ ...collector.endEpoch(bounds), user_share: this.members[arm].length / total }));
  }

  private registerUpTo(count: number): void {
    if (count <= this.registered) return;
    if (count > this.armOf.length) {
      const size = Math.max(count, this.armOf.length * 2, 1024);
      this.armOf = grown(this.armOf, size);
      this.localOf = grown(this.localOf, size);
    }
    for (let user = this.registered; user < count; user++) {
      const arm = this.assignment.armIndex(user);
      this.armOf[user] = arm;
      this.localOf[user] = this.members[arm].length;
      this.members[arm].push(user);
    }
    this.registered = count;
  }
}

/** The world as one arm's metrics see it: only its users, under local ids. */
function armWorldView(world: WorldView, members: readonly number[]): WorldView {
  return {
    topics: world.topics,
    itemCount: () => world.itemCount(),
    userCount: () => members.length,
    itemTopics: (itemId) => world.itemTopics(itemId),
    itemUploadTime: (itemId) => world.itemUploadTime(itemId),
    itemQuality: (itemId) => world.itemQuality(itemId),
    itemCreator: (itemId) => world.itemCreator(itemId),
    get creatorCount() {
      return world.creatorCount;
    },
    creatorJoinTime: (creatorId) => world.creatorJoinTime(creatorId),
    userTopicPrefs: (local) => world.userTopicPrefs(members[local]),
    userSignupTime: (local) => world.userSignupTime(members[local]),
  };
}
