/**
 * The recommender of a user split: sends each request to the recommender of the user's arm and
 * retrains every arm on its own slice of the log, or on the whole log when it trains on pooled
 * traffic (then it also sees every slate's feedback, which is how arms leak into each other).
 */
import type { Recommender, RecRequest, Slate, SlateFeedback } from '../recommender/types.js';
import { TrainingLog } from '../training/training-log.js';
import { armChunk } from './arm-log.js';
import type { UserAssignment } from './assignment.js';

export interface RoutedArm {
  readonly name: string;
  readonly recommender: Recommender;
  /** Trains on every arm's traffic instead of its own. */
  readonly pooled: boolean;
  /** The arm's retrain window, in days. */
  readonly windowDays: number;
  /** The arm's own slate size (the world checks only the largest of all arms'). */
  readonly slateSize: number;
}

export class ArmRouter implements Recommender {
  readonly name = 'user_split';
  private readonly logs: TrainingLog[];
  private lastEpoch = -1;

  constructor(
    readonly arms: readonly RoutedArm[],
    private readonly assignment: UserAssignment,
  ) {
    if (arms.map((arm) => arm.name).join('\n') !== assignment.names.join('\n')) throw new Error('ArmRouter: arms and assignment disagree');
    this.logs = arms.map((arm) => new TrainingLog(arm.windowDays));
  }

  serve(requests: readonly RecRequest[]): Slate[] {
    const armOf = Int32Array.from(requests, (request) => this.assignment.armIndex(request.userId));
    const groups: RecRequest[][] = this.arms.map(() => []);
    requests.forEach((request, r) => groups[armOf[r]].push(request));
    const served = groups.map((group, arm) => (group.length === 0 ? [] : this.arms[arm].recommender.serve(group)));
    groups.forEach((group, arm) => {
      const { name, slateSize } = this.arms[arm];
      if (served[arm].length !== group.length) throw new Error(`arm ${name} returned ${served[arm].length} slates for ${group.length} requests`);
      const long = served[arm].find((slate) => slate.entries.length > slateSize);
      if (long) throw new Error(`arm ${name} returned ${long.entries.length} items; its slate_size is ${slateSize}`);
    });
    const taken = new Int32Array(this.arms.length);
    return requests.map((_, r) => served[armOf[r]][taken[armOf[r]]++]);
  }

  observe(feedback: SlateFeedback): void {
    const own = this.assignment.armIndex(feedback.request.userId);
    this.arms.forEach((arm, index) => {
      if (index === own || arm.pooled) arm.recommender.observe?.(feedback);
    });
  }

  async retrain(log: TrainingLog, now: number): Promise<void> {
    const chunk = log.chunks.at(-1);
    if (chunk !== undefined && chunk.epoch !== this.lastEpoch) {
      this.lastEpoch = chunk.epoch;
      this.arms.forEach((arm, index) => this.logs[index].add(arm.pooled ? chunk : armChunk(chunk, arm.name)));
    }
    for (let index = 0; index < this.arms.length; index++) await this.arms[index].recommender.retrain(this.logs[index], now);
  }
}
