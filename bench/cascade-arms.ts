/**
 * What the ranking cascade does to a shipped comparison scenario's arms, at the reduced size its
 * scenario test runs (tests/support/arm-runs.ts: 300 users and items): each arm and seed run
 * without a cascade and with `ranker.prerank: { keep }`, in the same world. Prints each run's
 * means over the epochs from `--from` on, then per arm and metric the mean paired difference
 * (cascade minus none) and on how many seeds it was positive.
 *
 *   npx tsx bench/cascade-arms.ts cold-start --days 8 --from 5 --arms without_new_item_sources,fresh \
 *     --seeds 1,2,3,4,5 --metrics new_items_unseen_first_days,ctr [--keep 60] [--set key=value ...]
 */
import { armRows, meanOver } from '../tests/support/arm-runs.js';

const args = process.argv.slice(2);
const option = (name: string, fallback?: string): string => {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? args[at + 1] : fallback;
  if (value === undefined) throw new Error(`bench/cascade-arms.ts: --${name} is required`);
  return value;
};
const scenario = args[0];
const days = Number(option('days'));
const from = Number(option('from', '2'));
const arms = option('arms').split(',');
const seeds = option('seeds', '1,2,3').split(',').map(Number);
const metrics = option('metrics').split(',');
const keep = Number(option('keep', '60'));
const sets = args.flatMap((arg, k) => (arg === '--set' ? [args[k + 1]] : []));

const withCascade = [...sets, `recommender.ranker.prerank={keep: ${keep}}`];
for (const arm of arms) {
  const differences = metrics.map(() => [] as number[]);
  for (const seed of seeds) {
    const none = await armRows(scenario, days, arm, seed, sets);
    const cascade = await armRows(scenario, days, arm, seed, withCascade);
    const line = (rows: typeof none) => metrics.map((m) => `${m} ${meanOver(rows, m, from).toFixed(4)}`).join('  ');
    console.log(`${arm} seed ${seed}\n  none     ${line(none)}\n  keep ${keep}  ${line(cascade)}  kept share ${meanOver(cascade, 'prerank_kept_share', from).toFixed(3)}, recall@10 ${meanOver(cascade, 'prerank_recall_at_10', from).toFixed(3)}`);
    metrics.forEach((m, k) => differences[k].push(meanOver(cascade, m, from) - meanOver(none, m, from)));
  }
  for (const [k, m] of metrics.entries()) {
    const d = differences[k];
    console.log(`${arm}: ${m} cascade − none ${(d.reduce((a, b) => a + b, 0) / d.length).toFixed(4)} (higher on ${d.filter((x) => x > 0).length} of ${d.length} seeds)`);
  }
}
