/**
 * Regret curves of the exploration policies on scenarios/bandit.yaml (ten Bernoulli arms), over
 * several seeds: mean cumulative regret at T/100, T/10 and T, regret / ln T, the ratio to the
 * Lai–Robbins bound, and simulated rounds per second (Thompson sampling with its default
 * 100 Monte-Carlo draws for propensities). Prints one table.
 *
 *   npx tsx bench/bandit.ts                      # T = 50,000, seeds 1-5
 *   npx tsx bench/bandit.ts --rounds 100000 --seeds 3
 */
import { BanditSimulation } from '../src/bandit/bandit-simulation.js';
import { buildBanditParts } from '../src/bandit/build.js';
import { laiRobbinsBound } from '../src/bandit/lai-robbins.js';
import { isBanditScenario, loadAnyScenario } from '../src/scenario/index.js';

const SCENARIO = 'scenarios/bandit.yaml';
const POLICIES: readonly (readonly [string, readonly string[]])[] = [
  ['greedy', ['recommender.exploration.policy=greedy']],
  ['epsilon_greedy 0.1', ['recommender.exploration={policy: epsilon_greedy, epsilon: 0.1}']],
  ['epsilon_greedy 0.01', ['recommender.exploration={policy: epsilon_greedy, epsilon: 0.01}']],
  ['boltzmann T=0.05', ['recommender.exploration={policy: boltzmann, temperature: 0.05}']],
  ['ucb (UCB1)', ['recommender.exploration.policy=ucb']],
  ['thompson', ['recommender.exploration.policy=thompson']],
];

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const rounds = argument('rounds', 50_000);
const seeds = argument('seeds', 5);
const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: readonly number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

async function main(): Promise<void> {
  console.log(`bandit regret: ${SCENARIO}, T = ${rounds.toLocaleString('en-US')}, seeds 1-${seeds}; mean ± sd over seeds`);
  const header = ['policy', 'regret T/100', 'regret T/10', 'regret T', 'R(T)/R(T/10)', 'regret/ln T', 'vs Lai–Robbins', 'rounds/s'];
  const widths = [20, 14, 14, 16, 13, 12, 15, 10];
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' ');
  console.log(line(header));
  let bound = 0;
  for (const [name, overrides] of POLICIES) {
    const at: number[][] = [[], [], []];
    let seconds = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const scenario = await loadAnyScenario(SCENARIO, [...overrides, `seed=${seed}`, `world.rounds=${rounds}`, `world.report_every=${rounds / 100}`]);
      if (!isBanditScenario(scenario)) throw new Error(`${SCENARIO} is not a bandit scenario`);
      const simulation = new BanditSimulation(buildBanditParts(scenario));
      const started = performance.now();
      const { rows } = simulation.run();
      seconds += (performance.now() - started) / 1000;
      [0, 9, 99].forEach((row, k) => at[k].push(rows[row].cumulative_regret));
      bound = laiRobbinsBound(simulation.laiRobbinsConstant, rounds);
    }
    const cell = (xs: readonly number[]) => `${mean(xs).toFixed(1)} ± ${sd(xs).toFixed(1)}`;
    console.log(
      line([
        name,
        cell(at[0]),
        cell(at[1]),
        cell(at[2]),
        (mean(at[2]) / mean(at[1])).toFixed(2),
        (mean(at[2]) / Math.log(rounds)).toFixed(2),
        `${(mean(at[2]) / bound).toFixed(2)}x`,
        Math.round((seeds * rounds) / seconds).toLocaleString('en-US'),
      ]),
    );
  }
  console.log(`Lai–Robbins lower bound at T: ${bound.toFixed(1)} (asymptotic: a finite-T regret can sit below it)`);
}

await main();
