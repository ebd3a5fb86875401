/** The replay's gaps as a plain-text table, diversity first, then satisfaction. */
import type { ReplayDocument } from './replay-run.js';

const num = (x: number | null): string => (x === null ? '–' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(4));
const pct = (x: number | null): string => (x === null ? '–' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`);

export function replayTable(document: ReplayDocument): string {
  const lines = [
    `${document.scenario}, seed ${document.seed}: ${document.slates.toLocaleString('en-US')} logged slates served again by its design and by it widened with ${document.widened_by.join(' ')}`,
    `means over the epochs from day ${document.measure_from}; one seed, so the per-epoch gaps in replay.json show how steady the gap is`,
    '',
    `${'metric'.padEnd(30)} ${'run'.padStart(10)} ${'replayed'.padStart(10)} ${'widened'.padStart(10)} ${'gap'.padStart(10)} ${'relative'.padStart(9)}`,
  ];
  let group = '';
  for (const g of document.gaps) {
    if (g.group !== group) {
      group = g.group;
      lines.push(`${group}:`);
    }
    lines.push(`  ${g.metric.padEnd(28)} ${num(g.run).padStart(10)} ${num(g.replayed).padStart(10)} ${num(g.widened).padStart(10)} ${num(g.gap).padStart(10)} ${pct(g.relative).padStart(9)}`);
  }
  return `${lines.join('\n')}\n`;
}
