/**
 * An OPE folder (ope.json from `recloop ope`) → ReportData with no time series: the estimators'
 * estimates and intervals against the truth, measured by serving the target in a twin world.
 */
import { join } from 'node:path';
import type { OpeView, ReportData } from '../types.js';
import { opeSchema, type OpeFile } from './ope-schema.js';
import { readJson, readOptionalText } from './read-files.js';
import { RUN_INPUTS } from './run-folder.js';
import { scenarioInfo } from './scenario-info.js';
import { staticReportData } from './static-report.js';
import { hasServingStages } from './serving-stages.js';

export const OPE_FILE = 'ope.json';

/** 1.96: the twin world's realised value is a mean over slates, with a normal interval. */
export const Z95 = 1.959963984540054;

export async function loadOpeFolder(dir: string): Promise<ReportData> {
  const file = await readJson(join(dir, OPE_FILE), opeSchema);
  const yamlText = await readOptionalText(dir, RUN_INPUTS.scenario);
  const info = scenarioInfo(yamlText);
  const ope = opeView(file);
  return staticReportData({
    kind: 'ope',
    dir,
    name: file.scenario,
    description: info.description,
    scenarioYaml: yamlText,
    arms: [file.target.policy],
    level: ope.level,
    ope,
    latencyBudgetMs: info.latencyBudgetMs,
    servingStages: hasServingStages([info.recommenderKind]),
    facts: [
      { label: 'Target policy', value: file.target.policy },
      { label: 'Logged by', value: file.logging.policy },
      { label: 'Estimated', value: file.unit },
      ...(ope.window ? [{ label: 'Evaluation window', value: ope.window }] : []),
    ],
    notes: [
      `Truth: the target served online in a twin world (same seed, same users and items); its realised value with a ${Math.round(Z95 * 100) / 100}·SE interval.`,
      ...brokenAssumptions(file),
    ],
  });
}

const BROKEN_LABEL = { yes: ' (assumption broken)', partly: ' (assumption partly broken)', no: '', unknown: '' } as const;

/** One note per estimator whose assumption this world breaks, with why. */
function brokenAssumptions(file: OpeFile): string[] {
  return file.estimators.flatMap((e) =>
    e.world_breaks_it === 'yes' || e.world_breaks_it === 'partly' ? [`${e.estimator}: this world ${e.world_breaks_it === 'yes' ? 'breaks' : 'partly breaks'} its assumption${e.why ? ` (${e.why})` : ''}.`] : [],
  );
}

export function opeView(file: OpeFile): OpeView {
  const t = file.truth;
  const se = t.twin_realised_se;
  return {
    unit: file.unit,
    target: file.target.policy,
    logging: file.logging.policy,
    level: file.settings?.confidence ?? 0.95,
    truth: se !== undefined && se > 0 ? { value: t.twin_realised, ci_low: t.twin_realised - Z95 * se, ci_high: t.twin_realised + Z95 * se } : { value: t.twin_realised },
    truthSource: 'twin world',
    // An estimator whose assumption the world breaks says so where it is drawn.
    estimates: file.estimators.map((e) => ({ estimator: e.estimator + BROKEN_LABEL[e.world_breaks_it ?? 'no'], estimate: e.estimate, ci_low: e.ci_lo, ci_high: e.ci_hi })),
    window: file.eval_window ? `days ${file.eval_window.from}–${file.eval_window.to}` : undefined,
  };
}
