// Argument checks shared by the samplers. Each throws a RangeError naming the
// method and the offending value, because a NaN or a negative rate deep inside
// a months-long simulation is far easier to fix at the call that caused it.
// Comparisons are written as `!(x > 0)` so that NaN fails them too.

export function requireFinite(method: string, name: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(`${method}: ${name} must be a finite number (got ${value})`);
  }
}

export function requirePositive(method: string, name: string, value: number): void {
  if (!(value > 0 && value < Infinity)) {
    throw new RangeError(`${method}: ${name} must be a positive finite number (got ${value})`);
  }
}

export function requireNonNegative(method: string, name: string, value: number): void {
  if (!(value >= 0 && value < Infinity)) {
    throw new RangeError(`${method}: ${name} must be a non-negative finite number (got ${value})`);
  }
}

export function requireProbability(method: string, name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) {
    throw new RangeError(`${method}: ${name} must be a probability in [0, 1] (got ${value})`);
  }
}

export function requireInteger(method: string, name: string, value: number, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new RangeError(`${method}: ${name} must be an integer in [${min}, ${max}] (got ${value})`);
  }
}

/**
 * Checks a weight vector (non-empty, every entry finite and >= 0, positive
 * total) and returns its total, so callers validate and sum in one pass.
 */
export function requireWeights(method: string, weights: ArrayLike<number>): number {
  const n = weights.length;
  if (n === 0) throw new RangeError(`${method}: weights must not be empty`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!(w >= 0 && w < Infinity)) {
      throw new RangeError(`${method}: weights[${i}] must be a non-negative finite number (got ${w})`);
    }
    total += w;
  }
  if (!(total > 0 && total < Infinity)) {
    throw new RangeError(`${method}: weights must have a positive finite total (got ${total})`);
  }
  return total;
}
