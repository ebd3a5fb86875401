/**
 * Which off-policy estimator can a team trust on slates? `recloop ope`'s harness on
 * scenarios/ope-random-to-popularity.yaml over many seeds: each estimator's share of 95%
 * intervals covering the twin world's realised value, its mean error and the spread of its
 * error over seeds, and whether the world breaks its assumption.
 *
 *   npx tsx bench/ope-slate-coverage.ts [--seeds 20] [--first 11] [--bootstrap 200] [--scenario FILE] [--set key=value ...]
 */
import { parseArgs } from 'node:util';
import { evaluateOffPolicy, type EstimatorRow } from '../src/ope/run-ope.js';
import { loadScenario } from '../src/scenario/index.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    first: { type: 'string', default: '11' },
    bootstrap: { type: 'string', default: '200' },
    scenario: { type: 'string', default: 'scenarios/ope-random-to-popularity.yaml' },
    set: { type: 'string', multiple: true, default: [] },
  },
});
const seeds = Number(values.seeds);
const first = Number(values.first);
const rows = new Map<string, EstimatorRow[]>();
const started = performance.now();
for (let k = 0; k < seeds; k++) {
  const seed = first + k;
  const scenario = await loadScenario(values.scenario, [...values.set, `seed=${seed}`, `ope.bootstrap=${values.bootstrap}`]);
  const report = await evaluateOffPolicy(scenario);
  for (const e of report.estimators) rows.set(e.estimator, [...(rows.get(e.estimator) ?? []), e]);
  const line = report.estimators.map((e) => `${e.estimator} ${e.estimate.toFixed(3)}${e.ci_covers_truth ? '' : '*'}${e.ci_covers_twin_expected === false ? '°' : ''}`).join('  ');
  console.log(
    `seed ${seed}: truth ${report.truth.twin_realised.toFixed(4)} ± ${report.truth.twin_realised_se.toFixed(4)} (expected ${report.truth.twin_expected?.toFixed(4) ?? "-"}, on the logged requests ${report.truth.logged_contexts_expected?.toFixed(4) ?? "-"}); ${line}  (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
}
console.log(`\n${values.scenario}, seeds ${first}–${first + seeds - 1}, bootstrap ${values.bootstrap} (above, * : the 95% interval missed the realised truth; ° : it missed the expected truth)`);
console.log(`${'estimator'.padEnd(16)}${'runs'.padStart(5)}${'coverage'.padStart(10)}${'(expected)'.padStart(11)}${'mean error'.padStart(12)}${'sd error'.padStart(10)}${'mean rel.'.padStart(11)}  world breaks its assumption`);
for (const [name, list] of rows) {
  const n = list.length;
  const covered = list.filter((e) => e.ci_covers_truth).length;
  const coveredExpected = list.filter((e) => e.ci_covers_twin_expected === true).length;
  const mean = list.reduce((a, e) => a + e.error, 0) / n;
  const sd = n > 1 ? Math.sqrt(list.reduce((a, e) => a + (e.error - mean) ** 2, 0) / (n - 1)) : Number.NaN;
  const rel = list.reduce((a, e) => a + e.relative_error, 0) / n;
  console.log(
    `${name.padEnd(16)}${String(n).padStart(5)}${`${covered}/${n}`.padStart(10)}${`${coveredExpected}/${n}`.padStart(11)}${mean.toFixed(4).padStart(12)}${sd.toFixed(4).padStart(10)}${`${(100 * rel).toFixed(1)}%`.padStart(11)}  ${list[0].world_breaks_it}`,
  );
}
