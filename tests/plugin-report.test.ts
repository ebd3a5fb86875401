/**
 * `recloop report` on a run folder whose scenario used a plug-in metric family: the report runs
 * in a process of its own, as it would days later, so the family is known only by loading the
 * file its `scenario.resolved.yaml` names again. When that file has gone since the run, the
 * report says which file and where the folder names it, and shows the columns undeclared.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from './support/run-cli.js';
import { tempDir } from './support/scenarios.js';

const ROOT = join(import.meta.dirname, '..');
const EXAMPLES = join(ROOT, 'examples', 'plugins');
const API = pathToFileURL(join(ROOT, 'src', 'plugins', 'api.js')).href;

/** `recloop report` in a fresh process, as a shell runs it. */
function report(dir: string): { code: number | null; err: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'report', dir, '--no-png'], { cwd: ROOT, encoding: 'utf8' });
  return { code: child.status, err: child.stderr };
}

describe('recloop report on a run that used a plug-in metric', () => {
  it("loads the family again from the folder's scenario, and names the file when it has gone", async () => {
    // The example scenario and metric file, copied to a folder of their own, so the file can go.
    const dir = tempDir('recloop-plugin-report-');
    const metric = join(dir, 'my-metric.ts');
    writeFileSync(metric, readFileSync(join(EXAMPLES, 'my-metric.ts'), 'utf8').replace("'../../src/plugins/api.js'", `'${API}'`));
    const scenario = join(dir, 'metric.yaml');
    writeFileSync(scenario, readFileSync(join(EXAMPLES, 'metric.yaml'), 'utf8').replace('horizon: { days: 3 }', 'horizon: { days: 2 }'));
    const run = join(dir, 'run');
    const ran = await cli(['run', scenario, '--out', run, '--no-report']);
    expect(ran.code).toBe(0);
    expect(readFileSync(join(run, 'scenario.resolved.yaml'), 'utf8')).toContain(`path: ${metric}`);

    const loaded = report(run);
    expect(loaded.err).not.toContain('warning');
    expect(loaded.code).toBe(0);
    // The family's declaration reached the report: its label and its percent format.
    const summary = readFileSync(join(run, 'summary.md'), 'utf8');
    expect(summary).toMatch(/\| Clicks in the top slots \| \d+\.\d% \|/);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('Clicks in the top slots');

    renameSync(metric, join(dir, 'moved.ts'));
    const missing = report(run);
    expect(missing.code).toBe(0);
    expect(missing.err).toMatch(
      new RegExp(`report warning: .*${join(run, 'scenario.resolved.yaml')}:\\d+:\\d+: metrics\\.plugins\\[0\\]\\.path: cannot load the metric family ${metric}: no such file`),
    );
    expect(missing.err).not.toMatch(/\n\s+at /);
    // The report is still written, the column under its own name.
    const undeclared = readFileSync(join(run, 'summary.md'), 'utf8');
    expect(undeclared).not.toContain('Clicks in the top slots');
    expect(undeclared).toContain('Top click share (value)');
  });
});
