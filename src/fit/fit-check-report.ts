/** The printed table of a fitted world's check, and its folder (fit-check.json, fit-check.txt), written atomically. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StagedOutput } from '../run/output-dir.js';
import type { FitCheckReport } from './fit-check.js';

export const FIT_CHECK_FILES = { report: 'fit-check.json', table: 'fit-check.txt' } as const;

export function formatFitCheckTable(r: FitCheckReport): string {
  const f = (x: number | null, digits = 5): string => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(digits));
  const signed = (x: number, digits = 5): string => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
  const p = r.policy;
  const policy =
    p.kind === 'uniform'
      ? 'uniform random'
      : `bernoulli_thompson (priors ${p.priors ?? ''}, ${p.campaign ?? ''}; ${p.posterior === 'updated' ? `posterior updated on the simulated clicks every ${p.batch ?? ''} impressions` : 'frozen at the priors'})`;
  const fitted = r.world.fitted_on;
  const level = Math.round(r.settings.confidence * 100);
  const lines = [
    `world ${r.world.file}, fitted on ${fitted.dir} (logged by ${fitted.arm}: ${fitted.rows} impressions, ${fitted.clicks} clicks)`,
    `policy ${policy}; ${r.settings.seeds} simulated logs of ${r.settings.impressions} impressions (seeds ${r.settings.first_seed}–${r.settings.first_seed + r.settings.seeds - 1}), ` +
      (r.settings.parameters === 'drawn' ? "each in a world drawn from the fit's uncertainty" : 'each in the fitted world'),
    `truth: ${r.truth.dir} (served by ${r.truth.policy}): ${r.truth.impressions} impressions, ${r.truth.clicks} clicks`,
    '',
    `${'figure'.padEnd(24)}${'real ± se'.padEnd(20)}${'simulated'.padStart(10)}  ${`${level}% of seeds`.padEnd(22)}${'gap real − sim'.padStart(15)}  ${`${level}% interval`.padEnd(24)}consistent`,
  ];
  for (const g of r.rates) {
    lines.push(
      `${g.metric.padEnd(24)}${`${f(g.real)} ± ${f(g.real_se)}`.padEnd(20)}${f(g.simulated_mean).padStart(10)}  ${`[${f(g.simulated_lo)}, ${f(g.simulated_hi)}]`.padEnd(22)}` +
        `${signed(g.gap).padStart(15)}  ${`[${signed(g.gap_lo)}, ${signed(g.gap_hi)}]`.padEnd(24)}${g.consistent ? 'yes' : 'no'}`,
    );
  }
  const e = r.exposure;
  const range = (x: { mean: number; lo: number; hi: number }, sign = false): string =>
    `${(sign ? signed(x.mean, 3) : f(x.mean, 3)).padStart(7)}  [${sign ? signed(x.lo, 3) : f(x.lo, 3)}, ${sign ? signed(x.hi, 3) : f(x.hi, 3)}]`;
  lines.push(
    '',
    `item exposure, total variation distance (${level}% of seeds):`,
    `  simulated vs real                 ${range(e.tvd)}`,
    `  reference: two resamples of real  ${range(e.reference_tvd)}`,
    `  excess (simulated − reference)    ${range(e.excess, true)}`,
    '',
    `gap: real − simulated; its interval spans the seeds' simulated logs (each of the real log's size${r.settings.parameters === 'drawn' ? ", in a world drawn from the fit's uncertainty" : ''}); consistent: the interval holds 0`,
    `exposure by item (real / simulated): ${e.items.map((i) => `${i.item} ${f(i.real, 3)}/${f(i.simulated, 3)}`).join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Stages the folder first (an existing one is refused before any work), checks, writes both files, moves it into place. */
export async function writeFitCheck(outDir: string, force: boolean, produce: () => Promise<FitCheckReport>): Promise<FitCheckReport> {
  const output = await StagedOutput.create(outDir, force, 'fit-check');
  try {
    const report = await produce();
    await writeFile(join(output.dir, FIT_CHECK_FILES.report), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(output.dir, FIT_CHECK_FILES.table), formatFitCheckTable(report));
    await output.commit();
    return report;
  } catch (error) {
    await output.discard();
    throw error;
  }
}
