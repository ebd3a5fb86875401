/**
 * The world's reaction to a slate (user model `react`: click utilities of the slate's items,
 * the choice, the watch response): microseconds a slate of 10 random items shown to a random
 * user, the best of five rounds of 100,000 slates, at the catalog size asked. In a large catalog
 * most of it is fetching the items' truth from memory.
 *
 *   npx tsx bench/world-react.ts [--users 100000] [--items 200000]
 */
import { RandomStreams, Rng } from '../src/rng/index.js';
import { loadScenario } from '../src/scenario/index.js';
import { World } from '../src/world/world.js';

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const users = flag('users', 100_000);
const items = flag('items', 200_000);
const SLATES = 100_000;
const SLATE_SIZE = 10;

const scenario = await loadScenario('scenarios/two-stage.yaml', [`world.users.count=${users}`, `world.items.count=${items}`]);
const world = new World(scenario.world, new RandomStreams(7).child('world'));
const pick = new Rng('world-react');
const slate = new Int32Array(SLATE_SIZE);
let best = Infinity;
for (let round = 0; round < 5; round++) {
  const started = performance.now();
  for (let s = 0; s < SLATES; s++) {
    for (let p = 0; p < SLATE_SIZE; p++) slate[p] = pick.int(items);
    world.userModel.react(pick.int(users), slate, 1 + s / SLATES, s % 8);
  }
  best = Math.min(best, ((performance.now() - started) * 1e3) / SLATES);
}
console.log(`${users.toLocaleString('en')} users, ${items.toLocaleString('en')} items: ${best.toFixed(2)} µs a slate of ${SLATE_SIZE} (best of 5 rounds of ${SLATES.toLocaleString('en')})`);
