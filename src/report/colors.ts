/**
 * One arm → colour mapping for the whole report, so an arm looks the same in every chart.
 * Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), the control
 * first; more than eight arms reuse the hues with a darker shade rather than repeat a colour.
 */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];
const EXTRA = ['#004C77', '#8F3F00', '#00694D', '#88516F', '#9A6B00', '#3A789C', '#555555', '#666666'];

export interface ArmColors {
  readonly domain: readonly string[];
  readonly range: readonly string[];
}

export function armColors(arms: readonly string[]): ArmColors {
  const all = [...PALETTE, ...EXTRA];
  return { domain: [...arms], range: arms.map((_, i) => all[i % all.length]) };
}

/** The same mapping limited to some arms, for a chart that draws only those: each keeps its colour. */
export function pickColors(colors: ArmColors, arms: readonly string[]): ArmColors {
  const kept = colors.domain.flatMap((arm, i) => (arms.includes(arm) ? [{ arm, color: colors.range[i] }] : []));
  return { domain: kept.map((k) => k.arm), range: kept.map((k) => k.color) };
}

/** Marks that are not arms (truth, budgets, bounds, diagonals) are drawn in these. */
export const NEUTRAL = { reference: '#333333', estimate: '#555555', grid: '#e6e6e6' } as const;
