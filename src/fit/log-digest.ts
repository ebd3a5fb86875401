/** A digest of an imported log's rows, so a check can recognise the log a world was fitted on under any folder name. */
import type { LoggedRounds } from '../ope/logged/read-imported.js';

/** `<rows>:<FNV-1a over item, slot, click and propensity of every row>`. */
export function logDigest(rounds: LoggedRounds): string {
  let h = 0x811c9dc5;
  const mix = (v: number): void => {
    h = Math.imul(h ^ (v | 0), 16777619);
  };
  for (let r = 0; r < rounds.itemId.length; r++) {
    mix(rounds.itemId[r]);
    mix(rounds.position[r]);
    mix(rounds.clicked[r]);
    mix(Number.isNaN(rounds.propensity[r]) ? -1 : Math.round(rounds.propensity[r] * 2 ** 30));
  }
  return `${rounds.itemId.length}:${(h >>> 0).toString(16)}`;
}
