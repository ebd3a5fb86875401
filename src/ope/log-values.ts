/** Figures read straight off simulator impression buffers: a policy's realised value, who served the slates. */
import type { ImpressionBuffer } from '../training/impression-buffer.js';
import { rewardOf } from '../training/rewards.js';
import type { Reward } from '../training/rewards.js';

/** Mean and standard error of the per-slate reward. */
export function perSlateValue(buffers: readonly ImpressionBuffer[], reward: Reward): { mean: number; se: number; slates: number } {
  let slates = 0;
  let sum = 0;
  let squares = 0;
  for (const buffer of buffers) {
    const c = buffer.columns;
    const slateId = c.slates.slate_id;
    const rows = c.slate_row;
    let current = 0;
    for (let i = 0; i < rows.length; i++) {
      current += rewardOf(c, i, reward);
      const last = i + 1 === rows.length || slateId[rows[i + 1]] !== slateId[rows[i]];
      if (last) {
        slates++;
        sum += current;
        squares += current * current;
        current = 0;
      }
    }
  }
  const mean = sum / slates;
  const variance = slates > 1 ? (squares - slates * mean * mean) / (slates - 1) : Number.NaN;
  return { mean, se: Math.sqrt(variance / slates), slates };
}

/** Slates whose top slot names `source` (the target's name) as its source. */
export function countTopSlots(buffers: readonly ImpressionBuffer[], source: string): number {
  let n = 0;
  for (const buffer of buffers) {
    const code = buffer.codeOf(source);
    const c = buffer.columns;
    for (let i = 0; i < c.position.length; i++) if (c.position[i] === 0 && c.source[i] === code) n++;
  }
  return n;
}
