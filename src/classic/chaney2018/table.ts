/** The study's plain-text table: one row per recommender × training mode, means with 95% intervals over seeds. */
import type { Interval } from '../../experiment/stats.js';
import type { StudyResult } from './study.js';

const HEADERS = ['recommender', 'training', 'Jaccard change vs ideal [95% CI]', 'utility / ideal [95% CI]', 'Jaccard'];

export function formatStudyTable(result: StudyResult): string {
  const rows = result.summary.map((row) => [
    row.recommender === 'ideal' ? 'ideal (oracle)' : row.recommender,
    row.training,
    withInterval(row.jaccard_change, true),
    withInterval(row.utility_ratio, false),
    row.jaccard.estimate.toFixed(3),
  ]);
  const widths = HEADERS.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  const seeds = result.seeds;
  const seedText = seeds.length === 1 ? `seed ${seeds[0]}` : `${seeds.length} seeds (${seeds[0]}–${seeds[seeds.length - 1]})`;
  return [
    `${result.name}: Chaney, Stewart and Engelhardt (2018), ${seedText}`,
    line(HEADERS),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'Jaccard change: paired users\' Jaccard index minus the ideal recommender\'s (above 0: more homogeneous than ideal).',
    'utility / ideal: mean true utility of what users consumed after the start-up, as a fraction of the ideal\'s.',
    '',
  ].join('\n');
}

function withInterval(interval: Interval, signed: boolean): string {
  const show = (x: number): string => (signed && x >= 0 ? '+' : '') + x.toFixed(3);
  if (interval.low === null || interval.high === null) return show(interval.estimate);
  return `${show(interval.estimate)} [${show(interval.low)}, ${show(interval.high)}]`;
}
