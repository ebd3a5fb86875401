/**
 * Traffic shares of a user split: arms that state a `traffic` share keep it, the holdback (if
 * any) keeps its own, and the arms that state none split what is left equally. The shares must
 * add up to 1.
 */

/** The arm a long-term holdback runs as. */
export const HOLDBACK_ARM = 'holdback';

const TOLERANCE = 1e-9;

export interface TrafficSpec {
  readonly arms: Readonly<Record<string, { readonly traffic?: number }>>;
  readonly holdback?: { readonly traffic: number };
}

export type TrafficShares =
  | { readonly ok: true; readonly shares: ReadonlyMap<string, number> }
  | { readonly ok: false; readonly message: string };

/** Shares in the arms' written order, the holdback last. */
export function trafficShares(spec: TrafficSpec): TrafficShares {
  const names = Object.keys(spec.arms);
  const holdback = spec.holdback?.traffic ?? 0;
  let stated = holdback;
  const unstated: string[] = [];
  for (const name of names) {
    const share = spec.arms[name].traffic;
    if (share === undefined) unstated.push(name);
    else stated += share;
  }
  const parts = spec.holdback ? "the arms' traffic and the holdback add" : "the arms' traffic adds";
  if (stated > 1 + TOLERANCE) return { ok: false, message: `${parts} up to ${round(stated)}; in a user split the shares add up to 1` };
  if (unstated.length === 0 && stated < 1 - TOLERANCE) {
    return { ok: false, message: `${parts} up to ${round(stated)}; in a user split the shares add up to 1 (leave one arm's traffic out to give it the rest)` };
  }
  const rest = (1 - stated) / Math.max(1, unstated.length);
  if (unstated.length > 0 && rest <= TOLERANCE) {
    return { ok: false, message: `${parts} up to 1 already, so nothing is left for ${unstated.join(', ')}, which state no traffic share` };
  }
  const shares = new Map<string, number>();
  for (const name of names) shares.set(name, spec.arms[name].traffic ?? rest);
  if (spec.holdback) shares.set(HOLDBACK_ARM, holdback);
  return { ok: true, shares };
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}
