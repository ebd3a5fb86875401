/**
 * An experiment's sentence against its oracle baseline: how far each design arm's metric was from
 * the oracle's (comparison.json's `vs_oracle`, paired by seed), e.g. "Against the oracle baseline
 * (oracle, 0.058 Jaccard), greedy's homogenization was 34% higher (0.078); …". A gap is claimed
 * only where its interval excludes 0.
 */
import type { Failure } from '../failures.js';
import { formatValue } from '../format.js';
import { isDesign } from '../oracle.js';
import type { ArmDiff, ReportData } from '../types.js';
import { excludesZero, hasInterval } from './intervals.js';
import { gap, inText, listed, withUnit } from './words.js';

export function oracleSentence(data: ReportData, failure: Failure): string | undefined {
  const { oracle } = data;
  if (oracle === undefined) return undefined;
  const told = failure.againstOracle.map((metric) => metricSentence(data, oracle, metric)).filter((s): s is string => s !== undefined);
  return told.length === 0 ? undefined : told.join(' ');
}

function metricSentence(data: ReportData, oracle: string, metric: string): string | undefined {
  const mean = (arm: string): number | undefined => data.summaries.find((s) => s.metric === metric && s.arm === arm)?.mean;
  const base = mean(oracle);
  if (base === undefined) return undefined;
  const diffs = data.arms.flatMap((arm) => data.oracleDiffs.filter((d) => d.metric === metric && d.arm === arm && isDesign(data, arm) && mean(arm) !== undefined));
  if (diffs.length === 0) return undefined;
  const reference = `the oracle baseline (${oracle}, ${withUnit(metric, base)})`;
  if (!diffs.some(hasInterval)) return `With one replica there is no interval to tell how far the arms' ${inText(metric)} was from ${reference}.`;
  const level = Math.round(data.level * 100);
  const apart = diffs.filter(excludesZero);
  const near = diffs.filter((d) => !excludesZero(d)).map((d) => `${d.arm}'s`);
  if (apart.length === 0) return `No arm's ${inText(metric)} differed measurably from ${reference}: every ${level}% interval includes 0.`;
  const own = (d: ArmDiff): number => mean(d.arm) ?? base;
  const gaps = apart.map((d, i) => `${d.arm}'s${i === 0 ? ` ${inText(metric)} was` : ''} ${gap(metric, own(d), base)} (${formatValue(metric, own(d))})`);
  const rest = near.length === 0 ? '' : `; ${listed(near)} did not differ measurably`;
  return `Against ${reference}, ${listed(gaps)}${rest}.`;
}
