/** The replay's gaps as a plain-text table, diversity first, then satisfaction. */
import type { ReplayDocument } from './replay-run.js';

const num = (x: number | null): string => (x === null ? '–' : Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(4));
const pct = (x: number | null): string => (x === null ? '–' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`);
const interval = (low: number | null, high: number | null): string => (low === null || high === null ? '–' : `[${num(low)}, ${num(high)}]`);

export function replayTable(document: ReplayDocument): string {
  const { runs } = document;
  const slates = runs.reduce((sum, run) => sum + run.slates, 0);
  const seeds = runs.map((run) => run.seed).join(', ');
  const lines = [
    `${document.scenario}, ${runs.length === 1 ? `seed ${seeds}` : `${runs.length} runs (seeds ${seeds})`}: ${slates.toLocaleString('en-US')} logged slates served again by its design and by it widened with ${document.widened_by.join(' ')}`,
    `means over the epochs from day ${document.measure_from}; gap = widened − replayed${runs.length === 1 ? ' (one run: no interval; replay runs of several seeds for one)' : ', with its 95% interval over the runs'}; drift = |run − replayed|, how far the replay of the design strays from the run: a gap within it is not one to act on`,
    '',
    `${'metric'.padEnd(30)} ${'run'.padStart(10)} ${'replayed'.padStart(10)} ${'widened'.padStart(10)} ${'gap'.padStart(10)} ${'95% CI'.padStart(21)} ${'relative'.padStart(9)} ${'drift'.padStart(9)}`,
  ];
  let group = '';
  for (const g of document.gaps) {
    if (g.group !== group) {
      group = g.group;
      lines.push(`${group}:`);
    }
    lines.push(
      `  ${g.metric.padEnd(28)} ${num(g.run).padStart(10)} ${num(g.replayed).padStart(10)} ${num(g.widened).padStart(10)} ${num(g.gap).padStart(10)} ${interval(g.low, g.high).padStart(21)} ${pct(g.relative).padStart(9)} ${num(g.drift).padStart(9)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
