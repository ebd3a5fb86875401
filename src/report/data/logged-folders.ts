/**
 * Folders made from real logs: `recloop ope-log` (ope-log.json: estimates from one log against the
 * on-policy click rate of another) and `recloop fit-check` (fit-check.json: a fitted world's
 * simulated logs against a real one). Neither has time series.
 */
import { basename, join } from 'node:path';
import type { ReportData } from '../types.js';
import { fitCheckSchema, opeLogSchema } from './logged-schemas.js';
import { Z95 } from './ope-folder.js';
import { readJson } from './read-files.js';
import { staticReportData } from './static-report.js';

export const OPE_LOG_FILE = 'ope-log.json';
export const FIT_CHECK_FILE = 'fit-check.json';

const within = (value: number, se: number | null) => (se !== null && se > 0 ? { ci_low: value - Z95 * se, ci_high: value + Z95 * se } : {});

export async function loadOpeLogFolder(dir: string): Promise<ReportData> {
  const file = await readJson(join(dir, OPE_LOG_FILE), opeLogSchema);
  const { log, truth, target } = file;
  const level = file.settings.confidence;
  const logName = basename(log.dir);
  const truthSource = truth ? `on-policy log ${basename(truth.dir)}` : 'none';
  return staticReportData({
    kind: 'ope',
    dir,
    name: `${target.policy} from ${logName}`,
    arms: [target.policy],
    level,
    ope: {
      unit: file.unit,
      target: target.policy,
      logging: log.policy,
      level,
      truth: truth ? { value: truth.click_rate, ...within(truth.click_rate, truth.click_rate_se) } : undefined,
      truthSource,
      estimates: file.estimators.map((e) => ({ estimator: e.estimator, estimate: e.estimate, ci_low: e.ci_lo, ci_high: e.ci_hi })),
    },
    facts: [
      { label: 'Target policy', value: target.policy + (target.priors ? ` (priors ${target.priors}${target.campaign ? `, ${target.campaign}` : ''})` : '') },
      { label: 'Logged by', value: `${log.policy}: ${log.dir}, ${log.impressions} impressions, ${log.clicks} clicks` },
      { label: 'Truth', value: truth ? `${truth.dir}, served by ${truth.policy}: ${truth.impressions} impressions, ${truth.clicks} clicks` : 'none given (recloop ope-log --truth)' },
      { label: 'Estimated', value: file.unit },
    ],
    notes: [
      ...(truth ? [`Truth: the click rate ${truth.policy} had on its own log, with a ${Math.round(Z95 * 100) / 100}·SE interval (${truth.clicks} clicks).`] : []),
      `Intervals: ${file.settings.bootstrap} bootstrap resamples of the logged impressions.`,
    ],
  });
}

export async function loadFitCheckFolder(dir: string): Promise<ReportData> {
  const file = await readJson(join(dir, FIT_CHECK_FILE), fitCheckSchema);
  const { settings, world, truth, exposure } = file;
  const level = settings.confidence;
  const seeds = `${settings.seeds} simulated logs of ${settings.impressions} impressions (seeds ${settings.first_seed}–${settings.first_seed + settings.seeds - 1})`;
  return staticReportData({
    kind: 'check',
    dir,
    name: `${file.policy.kind} in the world fitted on ${basename(world.fitted_on.dir)}`,
    arms: [file.policy.kind],
    level,
    check: {
      unit: 'clicks per impression',
      level,
      policy: file.policy.kind,
      rows: file.rates.map((r) => ({
        figure: r.metric,
        real: r.real,
        ...(r.real_se !== null && r.real_se > 0 ? { real_low: r.real - Z95 * r.real_se, real_high: r.real + Z95 * r.real_se } : {}),
        simulated: r.simulated_mean,
        simulated_low: r.simulated_lo,
        simulated_high: r.simulated_hi,
        gap: r.gap,
        gap_low: r.gap_lo,
        gap_high: r.gap_hi,
        consistent: r.consistent,
      })),
      exposure: {
        tvd: { mean: exposure.tvd.mean, low: exposure.tvd.lo, high: exposure.tvd.hi },
        reference: { mean: exposure.reference_tvd.mean, low: exposure.reference_tvd.lo, high: exposure.reference_tvd.hi },
        items: exposure.items,
      },
    },
    facts: [
      { label: 'World', value: `${world.file}, fitted on ${world.fitted_on.dir} (logged by ${world.fitted_on.arm}: ${world.fitted_on.rows} impressions, ${world.fitted_on.clicks} clicks)` },
      { label: 'Policy', value: file.policy.kind },
      { label: 'Simulated', value: `${seeds}, ${settings.parameters === 'drawn' ? "each in a world drawn from the fit's uncertainty" : 'each in the fitted world'}` },
      { label: 'Real', value: `${truth.dir}, served by ${truth.policy}: ${truth.impressions} impressions, ${truth.clicks} clicks` },
    ],
    notes: [
      `Gap: real − simulated; its interval spans the simulated logs (each of the real log's size). Consistent: the interval holds 0.`,
      `Item exposure: total variation distance between the items' shares of impressions; two resamples of the real log show how far apart logs of this size fall by chance alone.`,
      'The world was fitted on a different log from the one it is checked against.',
    ],
  });
}
