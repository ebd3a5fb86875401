/** A cheap digest of an epoch's impressions, to show two runs logged the same thing. */
import type { ImpressionBuffer } from '../training/impression-buffer.js';

/** FNV-1a over slate, user, item, slot, click and propensity of every row. */
export function impressionDigest(buffer: ImpressionBuffer): string {
  const c = buffer.columns;
  const { slate_id, user_id } = c.slates;
  let h = 0x811c9dc5;
  const mix = (v: number): void => {
    h = Math.imul(h ^ (v | 0), 16777619);
  };
  for (let i = 0; i < c.slate_row.length; i++) {
    mix(slate_id[c.slate_row[i]]);
    mix(user_id[c.slate_row[i]]);
    mix(c.item_id[i]);
    mix(c.position[i]);
    mix(c.clicked[i]);
    mix(Math.round(c.propensity[i] * 2 ** 30));
  }
  return `${c.slate_row.length}:${(h >>> 0).toString(16)}`;
}
