/** Which figures a sentence may claim: only those whose interval excludes 0. */

interface WithInterval {
  readonly ci_low?: number;
  readonly ci_high?: number;
}

export function hasInterval(x: WithInterval): boolean {
  return x.ci_low !== undefined && x.ci_high !== undefined;
}

/** An interval that excludes 0; a figure without one is never claimed. */
export function excludesZero(x: WithInterval): boolean {
  return x.ci_low !== undefined && x.ci_high !== undefined && (x.ci_low > 0 || x.ci_high < 0);
}
