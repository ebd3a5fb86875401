/**
 * The data estimators read: logged slates with their context, and per impression the item,
 * its slot, the logging policy's propensity for that (item, slot) and the reward. Impressions
 * are grouped by slate (slate s owns rows start[s]..start[s+1]) because the bootstrap
 * resamples whole slates.
 */
import { slateEnd, type ImpressionBuffer } from '../training/impression-buffer.js';
import { rewardOf, type Reward } from '../training/rewards.js';
import type { OpeContext } from './types.js';

export interface SlateLog {
  readonly contexts: readonly OpeContext[];
  readonly start: Int32Array;
  readonly itemId: Int32Array;
  readonly position: Int32Array;
  readonly propensity: Float64Array;
  readonly reward: Float64Array;
}

export class SlateLogBuilder {
  private readonly contexts: OpeContext[] = [];
  private readonly start: number[] = [0];
  private readonly itemId: number[] = [];
  private readonly position: number[] = [];
  private readonly propensity: number[] = [];
  private readonly reward: number[] = [];

  /** One slate: items top first, with their logging propensities and rewards. */
  add(ctx: OpeContext, items: readonly number[], propensities: readonly number[], rewards: readonly number[]): void {
    if (items.length !== propensities.length || items.length !== rewards.length) throw new Error('slate arrays differ in length');
    this.contexts.push(ctx);
    items.forEach((item, p) => {
      this.itemId.push(item);
      this.position.push(p);
      this.propensity.push(propensities[p]);
      this.reward.push(rewards[p]);
    });
    this.start.push(this.itemId.length);
  }

  get slates(): number {
    return this.contexts.length;
  }

  build(): SlateLog {
    return {
      contexts: this.contexts,
      start: Int32Array.from(this.start),
      itemId: Int32Array.from(this.itemId),
      position: Int32Array.from(this.position),
      propensity: Float64Array.from(this.propensity),
      reward: Float64Array.from(this.reward),
    };
  }
}

export interface FromImpressionsOptions {
  readonly reward: Reward;
  /** Rows with since <= time < until are read. */
  readonly since: number;
  readonly until: number;
  /** The context of a logged slate; `slateSize` is filled in from the log. */
  readonly context: (slateId: number, userId: number, time: number) => Omit<OpeContext, 'slateSize'>;
}

/** Reads simulator impression buffers (rows of one slate are contiguous, as the loop appends them). */
export function slateLogFromImpressions(buffers: readonly ImpressionBuffer[], options: FromImpressionsOptions): SlateLog {
  const builder = new SlateLogBuilder();
  for (const buffer of buffers) {
    const c = buffer.columns;
    const { time, slate_id, user_id } = c.slates;
    const { slate_row } = c;
    let i = 0;
    while (i < slate_row.length) {
      const s = slate_row[i];
      const end = slateEnd(c, i);
      if (time[s] >= options.since && time[s] < options.until) {
        const items: number[] = [];
        const props: number[] = [];
        const rewards: number[] = [];
        for (let r = i; r < end; r++) {
          if (c.position[r] !== r - i) throw new Error(`slate ${slate_id[s]}: rows are not in slot order`);
          items.push(c.item_id[r]);
          props.push(c.propensity[r]);
          rewards.push(rewardOf(c, r, options.reward));
        }
        const ctx = options.context(slate_id[s], user_id[s], time[s]);
        builder.add({ ...ctx, slateSize: items.length }, items, props, rewards);
      }
      i = end;
    }
  }
  return builder.build();
}
