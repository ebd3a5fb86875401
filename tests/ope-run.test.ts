/**
 * `recloop ope` end to end on a small world: uniform logging, most-popular target. Checks the
 * result folder, that the twin world really is a twin (identical until the switch, then served
 * by the target) and that the truth comes from it, and that bad settings are refused clearly.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpeReport } from '../src/ope/run-ope.js';
import { tempDir } from './support/scenarios.js';
import { cli } from './support/run-cli.js';

const SCENARIO = `
name: ope-small
seed: 5
horizon: { days: 4 }
schedule: { kind: continuous, batch_window: 1m }
world:
  topics: 8
  users: { count: 600, signups_per_day: 20 }
  items: { count: 150, uploads_per_day: 10, creators: 30 }
recommender:
  kind: random
  slate_size: 4
logs: { impressions: false }
ope:
  logging: { policy: uniform }
  target: { policy: popularity }
  eval_days: 1
  popularity_window: 2d
  bootstrap: 50
`;


function scenarioFile(text = SCENARIO): { dir: string; file: string } {
  const dir = tempDir('recloop-ope-');
  const file = join(dir, 'ope-small.yaml');
  writeFileSync(file, text);
  return { dir, file };
}

describe('recloop ope', () => {
  it('writes ope.json and a table, with every estimator measured against the twin world', async () => {
    const { dir, file } = scenarioFile();
    const out = join(dir, 'result');
    const { code, out: stdout, err } = await cli(['ope', file, '--out', out]);
    expect(err).not.toMatch(/recloop:/);
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['.recloop.json', 'ope.json', 'ope.txt', 'scenario.resolved.yaml']);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const report = JSON.parse(readFileSync(join(out, 'ope.json'), 'utf8')) as OpeReport;
    expect(stdout).toBe(readFileSync(join(out, 'ope.txt'), 'utf8'));
    for (const name of ['ips', 'snips', 'dm', 'dr', 'pseudo_inverse', 'logit_dm']) expect(stdout).toMatch(new RegExp(`^${name}\\s+[\\d.]+\\s+\\[`, 'm'));

    expect(report.eval_window).toEqual({ from: 3, to: 4 });
    expect(report.logging.policy).toBe('uniform');
    expect(report.target.policy).toBe('greedy(popularity)');
    // Whole-slate IPS cannot run: no logged slate of 4 from 150 is the target's.
    expect(report.estimators.map((e) => e.estimator)).toEqual(['ips', 'snips', 'dm', 'dr', 'pseudo_inverse', 'logit_dm', 'logit_dr']);
    expect(report.estimators_unavailable).toEqual([{ estimator: 'slate_ips', why: expect.stringMatching(/^none of the \d+ logged slates/) as string }]);
    expect(report.diagnostics.slate_matches).toBe(0);
    const byName = new Map(report.estimators.map((e) => [e.estimator, e]));
    // The world's logit gives one click per slate: it breaks the item-position and linearity assumptions, the logit only in part.
    expect(['ips', 'snips', 'dm', 'dr', 'pseudo_inverse'].map((n) => byName.get(n as 'ips')?.world_breaks_it)).toEqual(['yes', 'yes', 'yes', 'yes', 'yes']);
    expect(byName.get('logit_dm')?.world_breaks_it).toBe('partly');
    expect(byName.get('logit_dr')?.world_breaks_it).toBe('no');
    expect(stdout).toMatch(/^ {2}logit_dm: users click at most one item.* — partly: /m);
    expect(stdout).toMatch(/^ {2}slate_ips: not run: none of the/m);
    // With no whole-slate match, logit DR is logit DM.
    expect(byName.get('logit_dr')?.estimate).toBe(byName.get('logit_dm')?.estimate);
    for (const e of report.estimators) {
      expect(e.ci_lo).toBeLessThanOrEqual(e.estimate);
      expect(e.ci_hi).toBeGreaterThanOrEqual(e.estimate);
      expect(e.error).toBeCloseTo(e.estimate - report.truth.twin_realised, 12);
      expect(e.relative_error).toBeCloseTo(e.error / report.truth.twin_realised, 12);
      expect(e.error_vs_logged_contexts).toBeCloseTo(e.estimate - (report.truth.logged_contexts_expected ?? Number.NaN), 12);
    }
    // The twin: identical to the logging world before the switch, served by the target after it.
    expect(report.twin_check).toEqual({ epochs_before_switch: 3, identical_before_switch: true, target_logged_in_twin: true });
    // The truth is the twin's own: its realised clicks agree with its expected clicks, and differ from the logging world's.
    const { truth } = report;
    expect(truth.twin_slates).toBeGreaterThan(500);
    expect(Math.abs(truth.twin_realised - (truth.twin_expected ?? Number.NaN))).toBeLessThan(4 * truth.twin_realised_se);
    expect(truth.twin_realised - report.logging.realised_value).toBeGreaterThan(4 * truth.twin_realised_se);
    expect(truth.logged_contexts_expected).toBeGreaterThan(report.logging.realised_value);
    expect(report.offline_ranking?.users).toBeGreaterThan(0);
    expect(report.diagnostics.meanWeightBySlot).toHaveLength(4);
  });

  it('is deterministic: the same scenario gives the same report', async () => {
    const { dir, file } = scenarioFile(SCENARIO.replace('bootstrap: 50', 'bootstrap: 10'));
    await cli(['ope', file, '--out', join(dir, 'a')]);
    await cli(['ope', file, '--out', join(dir, 'b')]);
    expect(readFileSync(join(dir, 'a', 'ope.json'), 'utf8')).toBe(readFileSync(join(dir, 'b', 'ope.json'), 'utf8'));
  });

  it.each([
    [['--set', 'ope.eval_days=1.5'], /must start at a retrain/],
    [['--set', 'ope.eval_days=4'], /must be shorter than the horizon/],
    [['--set', 'ope.target.policy=thompson'], /unknown target policy "thompson".*uniform, popularity, epsilon_greedy/],
    [['--set', 'ope.popularity_window=20'], /longer than recommender.retrain.window/],
  ])('refuses bad settings %j with one clear message and no folder', async (args, message) => {
    const { dir, file } = scenarioFile();
    const out = join(dir, 'result');
    const { code, err } = await cli(['ope', file, '--out', out, ...args]);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
