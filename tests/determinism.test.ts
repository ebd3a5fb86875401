import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/run/run-scenario.js';
import { smallScenario, tempDir } from './support/scenarios.js';

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('reproducibility', () => {
  it('the same scenario and seed give byte-identical metrics and summary; another seed does not', async () => {
    const root = tempDir();
    const a = await runScenario(smallScenario(['logs.impressions=false']), { outDir: join(root, 'a') });
    const b = await runScenario(smallScenario(['logs.impressions=false']), { outDir: join(root, 'b') });
    const c = await runScenario(smallScenario(['logs.impressions=false', 'seed=4']), { outDir: join(root, 'c') });
    expect(read(a.dir, 'metrics.jsonl')).toBe(read(b.dir, 'metrics.jsonl'));
    expect(read(a.dir, 'summary.json')).toBe(read(b.dir, 'summary.json'));
    expect(read(a.dir, 'metrics.jsonl')).not.toBe(read(c.dir, 'metrics.jsonl'));
    expect(read(a.dir, 'summary.json')).not.toBe(read(c.dir, 'summary.json'));
    expect(a.summary.totals.impressions).toBeGreaterThan(1000);
  });

  it('is reproducible for every schedule and batch window', async () => {
    const root = tempDir();
    const variants = [
      ['schedule.batch_window=0'],
      ['schedule.batch_window=10m'],
      ['schedule={kind: steps, step: 1d}', 'horizon.days=3', 'world.users.count=100'],
      ['world.choice.model=cascade'],
    ];
    for (const [k, overrides] of variants.entries()) {
      const s = smallScenario(['logs.impressions=false', ...overrides]);
      const first = await runScenario(s, { outDir: join(root, `${k}-1`) });
      const second = await runScenario(s, { outDir: join(root, `${k}-2`) });
      expect(read(first.dir, 'metrics.jsonl'), overrides.join(' ')).toBe(read(second.dir, 'metrics.jsonl'));
    }
  });
});
