/**
 * One bandit run, in the same phases and folder layout as a population run (src/run): stage
 * the folder → build → simulate, appending a metrics row every `report_every` rounds →
 * summarize → move into place. There is no impression log: a round is one pull.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StagedOutput } from '../run/output-dir.js';
import { RUN_FILES } from '../run/run-scenario.js';
import { toResolvedYaml, type BanditScenario } from '../scenario/index.js';
import { BanditSimulation, type BanditRow } from './bandit-simulation.js';
import { buildBanditParts } from './build.js';
import { summarizeBandit, type BanditSummary } from './summary.js';

export interface BanditRunOptions {
  readonly outDir: string;
  readonly force?: boolean;
  /** Told after every metrics row (progress display). */
  readonly onRow?: (row: BanditRow, done: number, total: number) => void;
}

export interface BanditRunOutcome {
  readonly dir: string;
  readonly summary: BanditSummary;
  readonly rows: readonly BanditRow[];
  readonly wallSeconds: number;
  readonly roundsPerSecond: number;
}

export async function runBanditScenario(scenario: BanditScenario, options: BanditRunOptions): Promise<BanditRunOutcome> {
  const started = performance.now();
  const output = await StagedOutput.create(options.outDir, options.force ?? false, 'bandit');
  try {
    await writeFile(join(output.dir, RUN_FILES.scenario), toResolvedYaml(scenario));
    const simulation = new BanditSimulation(buildBanditParts(scenario));
    const total = Math.ceil(simulation.rounds / simulation.reportEvery);
    const lines: string[] = [];
    let done = 0;
    const simStart = performance.now();
    const result = simulation.run((row) => {
      lines.push(JSON.stringify(row));
      options.onRow?.(row, ++done, total);
    });
    const simSeconds = (performance.now() - simStart) / 1000;
    await writeFile(join(output.dir, RUN_FILES.metrics), `${lines.join('\n')}\n`);
    const summary = summarizeBandit(scenario, simulation, result);
    await writeFile(join(output.dir, RUN_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
    const wallSeconds = (performance.now() - started) / 1000;
    const roundsPerSecond = simulation.rounds / Math.max(simSeconds, 1e-9);
    const runInfo = {
      finished_at: new Date().toISOString(),
      wall_seconds: wallSeconds,
      rounds_per_second: roundsPerSecond,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    };
    await writeFile(join(output.dir, RUN_FILES.runInfo), `${JSON.stringify(runInfo, null, 2)}\n`);
    await output.commit();
    return { dir: output.finalDir, summary, rows: result.rows, wallSeconds, roundsPerSecond };
  } catch (error) {
    await output.discard();
    throw error;
  }
}
