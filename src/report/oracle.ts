/**
 * The oracle baseline: an experiment's arm of kind oracle ranks by the world's true utility, so
 * it is the reference the designs are measured against, never a design to pick. The report
 * names it as such wherever it shows it, and leaves it out of every ranking of differences.
 */
import type { ReportData } from './types.js';

export const ORACLE_ROLE = 'oracle baseline';

/** The arm as legends and table headers name it: "oracle (oracle baseline)" for the oracle, else its name. */
export function armLabel(data: ReportData, arm: string): string {
  return arm === data.oracle ? `${arm} (${ORACLE_ROLE})` : arm;
}

/** Arms that are designs: all but the oracle baseline. */
export function isDesign(data: ReportData, arm: string): boolean {
  return arm !== data.oracle;
}
