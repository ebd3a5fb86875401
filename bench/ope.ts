/**
 * Off-policy estimators: error and confidence-interval width against log size.
 *
 * Synthetic part (exact truth): a contextual slate bandit (50 items, 5 slots, 10 contexts),
 * epsilon-greedy logging (ε 0.4 on a noisy ranking), greedy target on the true rates. For each
 * log size, independent logs give each estimator's bias, RMSE, mean 95% interval width,
 * coverage, and the time of one estimate with its bootstrap.
 *
 * Simulator part (--sim): `recloop ope`'s harness on scenarios/ope-random-to-popularity.yaml
 * with more users (bigger logs), error against the twin world's realised value.
 *
 *   npx tsx bench/ope.ts            # synthetic
 *   npx tsx bench/ope.ts --sim      # plus the simulator
 */
import { ESTIMATORS, EpsilonGreedyTargetPolicy, FactorisedRewardModel, GreedyTargetPolicy, SyntheticSlateBandit, estimatePolicyValue, type EstimatorName } from '../src/ope/index.js';
import { evaluateOffPolicy } from '../src/ope/run-ope.js';
import { Rng } from '../src/rng/index.js';
import { loadScenario } from '../src/scenario/index.js';

const SIZES = [250, 1000, 4000, 16000];
const REPLICAS = 30;
const BOOTSTRAP = 200;

function synthetic(): void {
  const bandit = new SyntheticSlateBandit({ items: 50, slots: 5, contexts: 10, positionDecay: 0.75, seed: 'bench' });
  const logging = new EpsilonGreedyTargetPolicy(bandit.ranking('noisy', 0.3, 'bench-logging'), 0.4);
  const target = new GreedyTargetPolicy(bandit.ranking('true', 0, 'bench-target'));
  const truth = bandit.trueValue(target);
  console.log(`synthetic slate bandit: target value ${truth.toFixed(4)} clicks per slate (logging ${bandit.trueValue(logging).toFixed(4)}); ${REPLICAS} logs per size, bootstrap ${BOOTSTRAP}`);
  console.log(`${'slates'.padStart(7)}  ${'estimator'.padEnd(9)}${'bias'.padStart(9)}${'RMSE'.padStart(9)}${'rel RMSE'.padStart(10)}${'CI width'.padStart(10)}${'coverage'.padStart(10)}${'ms/est'.padStart(9)}`);
  for (const slates of SIZES) {
    const errors = Object.fromEntries(ESTIMATORS.map((e) => [e, [] as number[]])) as Record<EstimatorName, number[]>;
    const widths = Object.fromEntries(ESTIMATORS.map((e) => [e, 0])) as Record<EstimatorName, number>;
    const covered = Object.fromEntries(ESTIMATORS.map((e) => [e, 0])) as Record<EstimatorName, number>;
    let ms = 0;
    for (let r = 0; r < REPLICAS; r++) {
      const rng = new Rng(`bench-ope/${slates}/${r}`);
      const fitLog = bandit.log(logging, slates, rng);
      const log = bandit.log(logging, slates, rng);
      const started = performance.now();
      const result = estimatePolicyValue(log, target, FactorisedRewardModel.fit(fitLog), {
        bootstrap: BOOTSTRAP,
        confidence: 0.95,
        rng,
        refit: { log: fitLog, fit: (l, w) => FactorisedRewardModel.fit(l, {}, w) },
      });
      ms += performance.now() - started;
      for (const e of ESTIMATORS) {
        const est = result.estimates[e];
        errors[e].push(est.value - truth);
        widths[e] += (est.hi - est.lo) / REPLICAS;
        if (est.lo <= truth && truth <= est.hi) covered[e]++;
      }
    }
    for (const e of ESTIMATORS) {
      const bias = errors[e].reduce((a, b) => a + b, 0) / REPLICAS;
      const rmse = Math.sqrt(errors[e].reduce((a, b) => a + b * b, 0) / REPLICAS);
      console.log(
        `${String(slates).padStart(7)}  ${e.padEnd(9)}${bias.toFixed(4).padStart(9)}${rmse.toFixed(4).padStart(9)}${`${((100 * rmse) / truth).toFixed(1)}%`.padStart(10)}` +
          `${widths[e].toFixed(4).padStart(10)}${`${Math.round((100 * covered[e]) / REPLICAS)}%`.padStart(10)}${(ms / REPLICAS).toFixed(0).padStart(9)}`,
      );
    }
  }
}

async function simulator(): Promise<void> {
  console.log('\nsimulator (scenarios/ope-random-to-popularity.yaml): error against the twin world\'s realised value');
  console.log(`${'users'.padStart(6)}${'slates'.padStart(8)}${'truth'.padStart(8)}  ${'estimator'.padEnd(9)}${'estimate'.padStart(9)}${'error'.padStart(9)}${'rel'.padStart(8)}${'CI width'.padStart(10)}  covers${'seconds'.padStart(9)}`);
  for (const users of [1000, 3000, 9000]) {
    const scenario = await loadScenario('scenarios/ope-random-to-popularity.yaml', [`world.users.count=${users}`]);
    const started = performance.now();
    const r = await evaluateOffPolicy(scenario);
    const seconds = (performance.now() - started) / 1000;
    for (const e of r.estimators) {
      console.log(
        `${String(users).padStart(6)}${String(r.logging.slates).padStart(8)}${r.truth.twin_realised.toFixed(3).padStart(8)}  ${e.estimator.padEnd(9)}${e.estimate.toFixed(3).padStart(9)}` +
          `${e.error.toFixed(3).padStart(9)}${`${(100 * e.relative_error).toFixed(0)}%`.padStart(8)}${(e.ci_hi - e.ci_lo).toFixed(3).padStart(10)}  ${(e.ci_covers_truth ? 'yes' : 'no').padEnd(6)}${seconds.toFixed(1).padStart(9)}`,
      );
    }
    const t = r.truth;
    console.log(
      `${''.padStart(6)}  target on the logged requests ${t.logged_contexts_expected?.toFixed(3)}; slot by slot in the logged slates (item-position estimand) ` +
        `${t.logged_contexts_slotwise?.toFixed(3)}; twin expected ${t.twin_expected?.toFixed(3)}; ESS ${r.diagnostics.effectiveSampleSize.toFixed(0)}`,
    );
  }
}

synthetic();
if (process.argv.includes('--sim')) await simulator();
