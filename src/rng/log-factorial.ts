// ln(k!) for the Poisson rejection sampler, which needs it on every
// non-squeezed candidate. Small k come from an exact table; large k from the
// Stirling series, whose truncation error at k >= 256 is below 1e-17.

const TABLE_SIZE = 256;

const TABLE: Float64Array = (() => {
  const table = new Float64Array(TABLE_SIZE);
  for (let k = 2; k < TABLE_SIZE; k++) table[k] = table[k - 1] + Math.log(k);
  return table;
})();

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln(k!) for a non-negative integer k (not validated: internal hot path). */
export function logFactorial(k: number): number {
  if (k < TABLE_SIZE) return TABLE[k];
  const inv = 1 / k;
  const inv2 = inv * inv;
  // ln k! = k ln k - k + ½ ln(2πk) + 1/(12k) - 1/(360k³) + 1/(1260k⁵) - ...
  return (k + 0.5) * Math.log(k) - k + HALF_LOG_TWO_PI + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}
