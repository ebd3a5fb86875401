/** The printed form of an OPE report, and its run folder (written atomically). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StagedOutput } from '../run/output-dir.js';
import { toResolvedYaml, type Scenario } from '../scenario/index.js';
import type { OpeReport } from './run-ope.js';

export const OPE_FILES = { report: 'ope.json', table: 'ope.txt', scenario: 'scenario.resolved.yaml' } as const;

export function formatOpeTable(r: OpeReport): string {
  const f = (x: number | null, digits = 4): string => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(digits));
  const signed = (x: number, digits = 4): string => (x >= 0 ? '+' : '') + x.toFixed(digits);
  const level = Math.round(r.settings.confidence * 100);
  const lines = [
    `${r.scenario}: target ${r.target.policy}, logged by ${r.logging.policy}; ${r.unit} [day ${r.eval_window.from}, ${r.eval_window.to})`,
    `truth (twin world, target online): realised ${f(r.truth.twin_realised)} ± ${f(r.truth.twin_realised_se)} over ${r.truth.twin_slates} slates` +
      `; expected ${f(r.truth.twin_expected)}`,
    `  on the logged requests: expected ${f(r.truth.logged_contexts_expected)}; slot by slot in the logged slates ` +
      `(what item-position estimators converge to) ${f(r.truth.logged_contexts_slotwise)}`,
    `logging policy, realised: ${f(r.logging.realised_value)} over ${r.logging.slates} slates`,
    '',
    `${'estimator'.padEnd(16)}${'estimate'.padStart(10)}  ${`${level}% CI`.padEnd(20)}${'error'.padStart(10)}${'rel. error'.padStart(12)}  covers truth (expected)  world breaks its assumption`,
  ];
  for (const e of r.estimators) {
    const ci = `[${f(e.ci_lo)}, ${f(e.ci_hi)}]`;
    lines.push(
      `${e.estimator.padEnd(16)}${f(e.estimate).padStart(10)}  ${ci.padEnd(20)}${signed(e.error).padStart(10)}${`${signed(100 * e.relative_error, 1)}%`.padStart(12)}  ${`${e.ci_covers_truth ? 'yes' : 'no'} (${e.ci_covers_twin_expected === null ? '-' : e.ci_covers_twin_expected ? 'yes' : 'no'})`.padEnd(25)}${e.world_breaks_it}`,
    );
  }
  lines.push('', 'assumptions, and where this world breaks them:');
  for (const e of r.estimators) lines.push(`  ${e.estimator}: ${e.assumption} — ${e.world_breaks_it === 'no' ? 'holds' : e.world_breaks_it}: ${e.why}`);
  for (const u of r.estimators_unavailable) lines.push(`  ${u.estimator}: not run: ${u.why}`);
  const d = r.diagnostics;
  lines.push(
    '',
    `weights: mean by slot ${d.meanWeightBySlot.map((w) => f(w, 2)).join(' ')} (1 when propensities are right); max ${f(d.maxWeight, 1)}; ` +
      `target could have shown ${f(100 * d.matchedShare, 2)}% of logged impressions; effective sample size ${f(d.effectiveSampleSize, 1)}`,
    `direct method model: ${d.reward_model}`,
  );
  if (d.slate_model !== null) lines.push(`slate logit model: ${d.slate_model}`);
  if (d.slate_matches !== null) lines.push(`logged slates the target would have served whole: ${d.slate_matches} of ${r.logging.slates}`);
  if (d.suspectSlots.length > 0) {
    lines.push(
      `WARNING: mean weight is more than 4 standard errors from 1 at slot(s) ${d.suspectSlots.join(', ')}: ` +
        'the logged propensities are not this policy\'s per-slot probabilities, or the target picks items the logging policy never shows there',
    );
  }
  const o = r.offline_ranking;
  if (o) {
    lines.push(
      `offline ranking of the target against the evaluation window's clicks (${o.users} users): NDCG@${o.k} ${f(o.ndcg)}  MRR ${f(o.mrr)}  recall@${o.k} ${f(o.recall)}`,
    );
  }
  const t = r.twin_check;
  lines.push(
    `twin check: ${t.epochs_before_switch} epochs before the switch ${t.identical_before_switch ? 'identical' : 'DIFFERENT'} in both worlds; ` +
      `target served every evaluated twin slate: ${t.target_logged_in_twin ? 'yes' : 'no'}`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Stages the result folder first (so an existing one is refused before the long run), runs
 * `produce`, writes scenario.resolved.yaml, ope.json and ope.txt, and moves the folder into
 * place — all or nothing.
 */
export async function writeOpeRun(
  outDir: string,
  force: boolean,
  scenario: Scenario,
  produce: () => Promise<OpeReport>,
): Promise<{ dir: string; report: OpeReport }> {
  const output = await StagedOutput.create(outDir, force, 'ope');
  try {
    const report = await produce();
    await writeFile(join(output.dir, OPE_FILES.scenario), toResolvedYaml(scenario));
    await writeFile(join(output.dir, OPE_FILES.report), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(output.dir, OPE_FILES.table), formatOpeTable(report));
    await output.commit();
    return { dir: output.finalDir, report };
  } catch (error) {
    await output.discard();
    throw error;
  }
}
