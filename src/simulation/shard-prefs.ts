/**
 * True topic preferences across the shards of a run split by users: each shard changes only its
 * own users' preferences, and the metrics (which may read them) run on the thread of shard 0, so
 * each shard sends its users' preferences at the epoch's end and that thread takes the others'.
 */
import type { ShardRole } from './shard-epoch.js';
import type { World } from '../world/world.js';

/** The preferences of the users `shard` owns, `topics` numbers each, in id order. */
export function ownedPrefs(world: World, shard: Pick<ShardRole, 'index' | 'count'>): Float64Array {
  const topics = world.config.topics;
  const prefs = new Float64Array(Math.max(0, Math.ceil((world.users.size - shard.index) / shard.count)) * topics);
  for (let k = 0, u = shard.index; u < world.users.size; k++, u += shard.count) prefs.set(world.users.stateOf(u).topicPrefs, k * topics);
  return prefs;
}

/** Writes every other shard's `ownedPrefs` (by shard) into `world`. */
export function adoptPrefs(world: World, shard: Pick<ShardRole, 'index' | 'count'>, byShard: readonly Float64Array[]): void {
  const topics = world.config.topics;
  byShard.forEach((theirs, s) => {
    if (s === shard.index) return;
    for (let k = 0, u = s; u < world.users.size; k++, u += shard.count) {
      const mine = world.users.stateOf(u).topicPrefs;
      if (!(mine instanceof Float64Array)) throw new Error('a run split by users needs each user model to keep topic preferences in a Float64Array');
      mine.set(theirs.subarray(k * topics, (k + 1) * topics));
    }
  });
}
