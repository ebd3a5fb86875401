/**
 * The sentence above a sweep's frontier chart: which cells are on the Pareto frontier, in order
 * along the x axis, what the frontier spans on each metric, which cell dominates each of the
 * others, and where neighbouring frontier cells' intervals overlap (the seeds cannot yet order
 * them); or why there is no chart (a named metric without a value in some cell).
 */
import { sweepFrontier, type Frontier, type FrontierCell, type FrontierGap } from '../frontier.js';
import { undefinedNote } from '../metric-catalog.js';
import type { ReportData } from '../types.js';
import { inText, listed as list, withUnit } from './words.js';

export function frontierSentence(data: ReportData): string | undefined {
  const frontier = sweepFrontier(data);
  if (frontier === undefined) return undefined;
  return frontier.kind === 'gap' ? gapSentence(frontier) : efficientSentence(frontier);
}

function efficientSentence(f: Frontier): string {
  const label = (arm: string): string => f.cells.find((c) => c.arm === arm)?.label ?? arm;
  const of = `the frontier of ${inText(f.y)} against ${inText(f.x)}`;
  const efficient = f.efficient.map(label);
  const dominated = f.cells.filter((c) => c.dominatedBy !== undefined);
  if (efficient.length === 1) return `${efficient[0]} is the only cell on ${of}: it is at least as good as every other cell on both.`;
  const first = f.cells.find((c) => c.arm === f.efficient[0]);
  const last = f.cells.find((c) => c.arm === f.efficient[f.efficient.length - 1]);
  const span =
    first === undefined || last === undefined
      ? ''
      : `; along it ${inText(f.x)} runs from ${withUnit(f.x, first.x)} (${first.label}) to ${withUnit(f.x, last.x)} (${last.label}) and ${inText(f.y)} from ${withUnit(f.y, first.y)} to ${withUnit(f.y, last.y)}`;
  const head = dominated.length === 0 ? `Every cell is on ${of}, in order of ${inText(f.x)}: ${list(efficient)}` : `On ${of}, in order of ${inText(f.x)}: ${list(efficient)}`;
  // "w=0.25 is dominated by w=0.5, w=0.75 by w=1"
  const tail = dominated.length === 0 ? '' : `. ${dominated.map((c, i) => `${c.label}${i === 0 ? ' is dominated' : ''} by ${label(c.dominatedBy ?? '')}`).join(', ')}`;
  return `${head}${span}${tail}.${overlapSentence(f)}`;
}

/** " The 95% intervals of 3 of 4 pairs of neighbouring frontier cells overlap on CTR.": the order along the frontier is not yet certain. */
function overlapSentence(f: Frontier): string {
  const cells = f.efficient.map((arm) => f.cells.find((c) => c.arm === arm)).filter((c): c is FrontierCell => c !== undefined);
  const pairs = cells.slice(1).map((c, i) => [cells[i], c] as const);
  if (pairs.length === 0) return '';
  const overlapping = (metric: 'x' | 'y'): number =>
    pairs.filter(([a, b]) => {
      const [aLow, aHigh, bLow, bHigh] = metric === 'x' ? [a.x_low, a.x_high, b.x_low, b.x_high] : [a.y_low, a.y_high, b.y_low, b.y_high];
      return aLow !== undefined && aHigh !== undefined && bLow !== undefined && bHigh !== undefined && aLow <= bHigh && bLow <= aHigh;
    }).length;
  const which = (k: number): string =>
    pairs.length === 1 ? 'the two frontier cells' : k === pairs.length ? 'every pair of neighbouring frontier cells' : `${k} of ${pairs.length} pairs of neighbouring frontier cells`;
  const [kx, ky] = [overlapping('x'), overlapping('y')];
  if (kx === 0 && ky === 0) return '';
  const clause =
    kx === ky
      ? `${which(kx)} on ${inText(f.x)} and on ${inText(f.y)}`
      : [kx > 0 ? `${which(kx)} on ${inText(f.x)}` : '', ky > 0 ? `${which(ky)} on ${inText(f.y)}` : ''].filter(Boolean).join(', and for ');
  return ` The intervals over seeds overlap for ${clause}: more seeds would tell them apart.`;
}

function gapSentence(gap: FrontierGap): string {
  const note = undefinedNote(gap.metric);
  return `No trade-off frontier: the scenario's report.frontier names ${inText(gap.metric)}, which has no value in ${gap.cells.length === 1 ? 'cell' : 'cells'} ${list(gap.cells)}${note === undefined ? '' : ` (${note})`}.`;
}
