/**
 * An experiment's trend sentence: how each design arm's metric moved per day over the measured
 * epochs (comparison.json's `slope_per_day`), e.g. "Under greedy, the popularity of what is shown
 * rose 0.8 percentile points a day (95% CI 0.3 to 1.3); …". Only a slope whose interval excludes
 * 0 is called a rise or a fall; the others are said to have no measurable trend.
 */
import type { Failure } from '../failures.js';
import { isDesign } from '../oracle.js';
import type { ArmSlope, ReportData } from '../types.js';
import { excludesZero, hasInterval } from './intervals.js';
import { capitalized, dailyRate, inText, listed } from './words.js';

export function slopeSentence(data: ReportData, failure: Failure): string | undefined {
  const metric = failure.slopes.find((m) => data.slopes.some((s) => s.metric === m));
  if (metric === undefined) return undefined;
  // The oracle baseline's trend is no design's: it is charted, not told.
  const slopes = data.arms.flatMap((arm) => data.slopes.filter((s) => s.metric === metric && s.arm === arm && isDesign(data, arm)));
  if (slopes.length === 0) return undefined;
  const the = `the ${inText(metric)}`;
  if (!slopes.some(hasInterval)) return `With one replica there is no interval to tell whether ${the} rose or fell.`;
  const level = Math.round(data.level * 100);
  const moving = slopes.filter(excludesZero);
  const flat = slopes.filter((s) => !excludesZero(s)).map((s) => s.arm);
  if (moving.length === 0) return `${capitalized(the)} had no measurable trend under any arm: every ${level}% interval of its slope per day includes 0.`;
  const rate = dailyRate(metric);
  const told = (s: ArmSlope, first: boolean): string => {
    const [low, high] = [Math.abs(s.ci_low ?? 0), Math.abs(s.ci_high ?? 0)].sort((a, b) => a - b);
    const amount = rate.amount(s.slope);
    // "1 percentile point", "2 percentile points"
    const unit = amount === '1' ? rate.unit.replace(/s$/, '') : rate.unit;
    const moved = `${s.slope > 0 ? 'rose' : 'fell'} ${amount}${first ? ` ${unit} a day` : ''} (${level}% CI ${rate.amount(low)} to ${rate.amount(high)})`;
    return first ? `Under ${s.arm}, ${the} ${moved}` : `under ${s.arm} it ${moved}`;
  };
  const clauses = moving.map((s, i) => told(s, i === 0));
  if (flat.length > 0) clauses.push(`under ${listed(flat)} it had no measurable trend (${flat.length === 1 ? 'the' : 'each'} ${level}% interval includes 0)`);
  return `${clauses.join('; ')}.`;
}
