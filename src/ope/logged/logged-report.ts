/** The printed table of an off-policy evaluation on imported logs, and its folder (ope-log.json, ope-log.txt), written atomically. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StagedOutput } from '../../run/output-dir.js';
import type { LoggedOpeReport } from './evaluate-logged.js';

export const OPE_LOG_FILES = { report: 'ope-log.json', table: 'ope-log.txt' } as const;

export function formatLoggedOpeTable(r: LoggedOpeReport): string {
  const f = (x: number | null, digits = 5): string => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(digits));
  const level = Math.round(r.settings.confidence * 100);
  const t = r.target;
  const error = `SE at most ${f(t.probability_se_max, 6)}, moving IPS by about ${f(t.ips_sampling_se, 6)}`;
  const how =
    t.policy === 'bernoulli_thompson'
      ? `priors ${t.priors ?? ''} (${t.campaign ?? ''}); (item, slot) probabilities from ${(t.samples_per_slot[0] ?? 0).toLocaleString('en-US')} Monte-Carlo draws, ${error}`
      : t.policy === 'truth_exposure'
        ? `the truth log's share of each slot's impressions per item, from ${t.samples_per_slot.join(', ')} impressions by slot, ${error}`
        : 'every item at every slot with probability 1/items';
  const lines = [
    `target ${t.policy} (${how})`,
    `estimated from ${r.log.dir} (logged by ${r.log.policy}: ${r.log.impressions} impressions, ${r.log.clicks} clicks, click rate ${f(r.log.click_rate)}); ${r.unit}`,
    r.truth
      ? `truth: ${r.truth.dir} (served by ${r.truth.policy}, on-policy): click rate ${f(r.truth.click_rate)} ± ${f(r.truth.click_rate_se)} (${r.truth.impressions} impressions, ${r.truth.clicks} clicks)`
      : 'truth: none given (--truth)',
    '',
    `${'estimator'.padEnd(10)}${'estimate'.padStart(10)}  ${`${level}% CI`.padEnd(22)}${'rel. error'.padStart(11)}  ${`over ${r.settings.bootstrap} resamples`.padEnd(22)}${'covers truth'.padEnd(14)}gap / SE`,
  ];
  for (const e of r.estimators) {
    const spread = e.relative_error_mean === null ? '-' : `${f(e.relative_error_mean, 3)} ± ${f(e.relative_error_sd, 3)}`;
    const covers = e.ci_covers_truth === null ? '-' : e.ci_covers_truth ? 'yes' : 'no';
    lines.push(`${e.estimator.padEnd(10)}${f(e.estimate).padStart(10)}  ${`[${f(e.ci_lo)}, ${f(e.ci_hi)}]`.padEnd(22)}${f(e.relative_error, 3).padStart(11)}  ${spread.padEnd(22)}${covers.padEnd(14)}${e.gap_z === null ? '-' : `${e.gap_z >= 0 ? '+' : ''}${e.gap_z.toFixed(2)}`}`);
  }
  const d = r.diagnostics;
  lines.push(
    '',
    'rel. error: |estimate − truth| / truth, on the whole log and over the bootstrap resamples (mean ± sd); gap / SE: (estimate − truth) over the SE of both',
    `weights: mean ${f(d.mean_weight, 3)} ± ${f(d.mean_weight_se, 3)} (1 when the logged propensities are right), max ${f(d.max_weight, 1)}; ` +
      `the target could have shown ${f(100 * d.matched_share, 1)}% of the logged impressions; effective sample size ${f(d.effective_sample_size, 0)}`,
    `direct method model: ${d.reward_model}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Stages the folder first (an existing one is refused before any work), evaluates, writes both files, moves it into place. */
export async function writeLoggedOpe(outDir: string, force: boolean, produce: () => Promise<LoggedOpeReport>): Promise<LoggedOpeReport> {
  const output = await StagedOutput.create(outDir, force, 'ope-log');
  try {
    const report = await produce();
    await writeFile(join(output.dir, OPE_LOG_FILES.report), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(output.dir, OPE_LOG_FILES.table), formatLoggedOpeTable(report));
    await output.commit();
    return report;
  } catch (error) {
    await output.discard();
    throw error;
  }
}
