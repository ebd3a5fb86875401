/**
 * A shipped comparison scenario at a size a test can afford: each arm run in the same world
 * (same seed, so the world's draws are paired), returning every epoch's metrics row.
 */
import { resolveExperiment } from '../../src/experiment/arms.js';
import { loadScenario } from '../../src/scenario/index.js';
import { buildParts } from '../../src/simulation/build.js';
import { Simulation } from '../../src/simulation/simulation.js';

/** scenarios/<name>.yaml */
export const scenarioFile = (name: string): string => new URL(`../../scenarios/${name}.yaml`, import.meta.url).pathname;

/** 300 users and items, a hundredth of them new each day, over `days` days. */
export const reduced = (days: number): string[] => ['world.users.count=300', 'world.items.count=300', 'world.users.signups_per_day=3', 'world.items.uploads_per_day=6', `horizon.days=${days}`, 'logs.impressions=false'];

export type Row = Readonly<Record<string, number>>;

/** Every epoch's metrics row of one arm of a scenario at one seed, reduced to `days` days (then `sets` applied). */
export async function armRows(name: string, days: number, arm: string, seed: number, sets: readonly string[] = []): Promise<Row[]> {
  const scenario = await loadScenario(scenarioFile(name), [...reduced(days), ...sets, `seed=${seed}`]);
  const chosen = resolveExperiment(scenario).arms.find((a) => a.name === arm);
  if (!chosen) throw new Error(`no arm ${arm}`);
  const rows: Row[] = [];
  const sim = new Simulation(buildParts({ ...scenario, recommender: chosen.recommender, experiment: undefined }));
  await sim.run(({ metrics }) => void rows.push({ ...metrics }));
  return rows;
}

/** Mean of a metric over epochs [from, to). */
export function meanOver(rows: readonly Row[], metric: string, from: number, to = rows.length): number {
  const values = rows.slice(from, to).map((r) => r[metric]);
  return values.reduce((a, b) => a + b, 0) / values.length;
}
