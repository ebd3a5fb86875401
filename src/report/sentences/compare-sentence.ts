/**
 * An experiment's sentence for one failure: the treatment arm that differs most clearly from the
 * control on the failure's first key metric where any arm differs measurably (its interval
 * excludes 0), what that arm gave up or gained on the metric it is weighed against, and the day its
 * line crossed the control's. Without such a difference it says the arms did not differ measurably.
 * The oracle baseline is no design: its differences are never the clearest (oracle-sentence.ts
 * measures the designs against it instead).
 */
import type { Failure } from '../failures.js';
import { isDesign } from '../oracle.js';
import type { ArmDiff, ReportData } from '../types.js';
import { excludesZero as measurable } from './intervals.js';
import { against, gap, inText } from './words.js';

export function compareSentence(data: ReportData, failure: Failure): string | undefined {
  const control = data.control ?? data.arms[0];
  const diffs = data.diffs.filter((d) => isDesign(data, d.arm));
  const keys = failure.key.filter((m) => diffs.some((d) => d.metric === m));
  if (keys.length === 0) return undefined;
  const mean = (metric: string, arm: string): number | undefined => data.summaries.find((s) => s.metric === metric && s.arm === arm)?.mean;
  const told = (d: ArmDiff): string | undefined => {
    const base = mean(d.metric, control);
    const own = mean(d.metric, d.arm);
    return base === undefined || own === undefined ? undefined : `${gap(d.metric, own, base)} (${against(d.metric, own, base)})`;
  };
  for (const metric of keys) {
    const clearest = clearestDiff(diffs.filter((d) => d.metric === metric));
    const main = clearest && told(clearest);
    if (!clearest || main === undefined) continue;
    const arm = clearest.arm;
    const weighed = failure.against.find((m) => diffs.some((d) => d.metric === m && d.arm === arm));
    const other = weighed === undefined ? undefined : diffs.find((d) => d.metric === weighed && d.arm === arm);
    const otherText = other && measurable(other) ? told(other) : undefined;
    const cost = weighed === undefined ? '' : otherText === undefined ? `, with no measurable difference in ${inText(weighed)}` : `, and its ${inText(weighed)} ${otherText}`;
    const crossing =
      clearest.crossingDay === undefined ? '' : `; its ${inText(metric)} line crossed ${clearest.diff > 0 ? 'above' : 'below'} ${control}'s from day ${formatDay(clearest.crossingDay)}`;
    return `Against ${control}, ${arm}'s ${inText(metric)} was ${main}${cost}${crossing}.`;
  }
  const level = Math.round(data.level * 100);
  const first = keys.slice(0, 2).map(inText);
  // A name with a comma of its own ("…, narrowest tenth") would run into the next: semicolons part them.
  const comma = first.some((name) => name.includes(',')) ? ';' : ',';
  const named = keys.length > 2 ? `${first.join(`${comma} `)}${comma === ';' ? ';' : ''} or ${keys.length - 2} more measure${keys.length === 3 ? '' : 's'}` : first.join(' or ');
  const why = diffs.some((d) => keys.includes(d.metric) && d.ci_low !== undefined) ? `every ${level}% interval includes 0` : 'with one replica there are no intervals to tell';
  return `No arm differed measurably from ${control} on ${named}: ${why}.`;
}

/** The measurable difference farthest from 0 in half-widths of its interval. */
function clearestDiff(diffs: readonly ArmDiff[]): ArmDiff | undefined {
  const separation = (d: ArmDiff): number => Math.abs(d.diff) / Math.max(((d.ci_high ?? 0) - (d.ci_low ?? 0)) / 2, Number.MIN_VALUE);
  return diffs.filter(measurable).reduce<ArmDiff | undefined>((best, d) => (best === undefined || separation(d) > separation(best) ? d : best), undefined);
}

function formatDay(day: number): string {
  return String(Number(day.toFixed(2)));
}
