/** The printed table of a fitted world: each parameter with its standard error and the counts behind it. */
import type { FittedWorld } from './fitted-world.js';

export function formatFittedWorld(world: FittedWorld): string {
  const f = (x: number, digits = 5): string => x.toFixed(digits);
  const lines = [
    `world fitted to ${world.log.dir} (logged by ${world.log.arm}: ${world.log.rows} impressions, ${world.log.clicks} clicks; rows ${world.log.digest})`,
    `model: ${world.model}`,
    `fit: log-likelihood ${world.fit.log_likelihood.toFixed(2)}, ${world.fit.iterations} iterations${world.fit.converged ? '' : ', NOT converged'}`,
    '',
    `${'slot'.padEnd(8)}${'theta'.padStart(9)}${'se'.padStart(9)}${'shown'.padStart(8)}${'clicks'.padStart(8)}`,
    ...world.positions.map((p) => `${String(p.slot).padEnd(8)}${f(p.theta, 3).padStart(9)}${(p.slot === 1 ? 'fixed' : f(p.se, 3)).padStart(9)}${String(p.impressions).padStart(8)}${String(p.clicks).padStart(8)}`),
    '',
    `${'item'.padEnd(8)}${'q'.padStart(9)}${'se'.padStart(9)}${'shown'.padStart(8)}${'clicks'.padStart(8)}   (q: click rate at slot 1, averaged over the traffic)`,
    ...world.item_propensities.map((q) => `${String(q.item).padEnd(8)}${f(q.q).padStart(9)}${f(q.se).padStart(9)}${String(q.impressions).padStart(8)}${String(q.clicks).padStart(8)}`),
    '',
    `${'segment'.padEnd(34)}${'share'.padStart(8)}${'se'.padStart(8)}${'m'.padStart(8)}${'se'.padStart(8)}${'shown'.padStart(8)}${'clicks'.padStart(8)}   (by ${world.segment_columns.length === 0 ? 'nothing: one segment' : world.segment_columns.join(', ')})`,
    ...world.segments.map(
      (s) =>
        `${s.name.padEnd(34)}${f(s.share, 3).padStart(8)}${f(s.share_se, 3).padStart(8)}${f(s.m, 3).padStart(8)}${f(s.m_se, 3).padStart(8)}${String(s.impressions).padStart(8)}${String(s.clicks).padStart(8)}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
