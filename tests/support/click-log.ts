/** A one-chunk training log for exploration tests: per item, its impressions and how many were clicked. */
import { ImpressionBuffer } from '../../src/training/impression-buffer.js';
import { TrainingLog } from '../../src/training/training-log.js';

/** `perItem`: [item id, impressions, clicks] (the first `clicks` impressions are the clicked ones), all on day 0. */
export function clickLog(perItem: readonly (readonly [number, number, number])[]): TrainingLog {
  const buffer = new ImpressionBuffer();
  for (const [itemId, trials, successes] of perItem) {
    for (let t = 0; t < trials; t++) {
      buffer.append({
        time: 0, epoch: 0, slateId: 0, userId: 0, itemId, position: 0, arm: 'a', source: 's', propensity: 1,
        clicked: t < successes, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null,
      });
    }
  }
  const log = new TrainingLog(14);
  log.add({ epoch: 0, start: 0, end: 1, impressions: buffer });
  return log;
}
