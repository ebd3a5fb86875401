// Statistical checks of every sampler against known moments and frequencies.
//
// Each check allows Z = 4 standard errors (or the matching chi-square
// quantile), so a correct sampler fails any one check with probability about
// 6e-5, while the bugs these guard against (a wrong boost, a biased tail, an
// off-by-one bucket) shift the statistic by many standard errors at these
// sample sizes. Seeds are fixed, so results are reproducible either way.
import { describe, expect, it } from 'vitest';
import { AliasTable, Rng } from '../src/rng/index.js';

const Z = 4;
const N = 200_000;

function sample(rng: Rng, n: number, draw: (rng: Rng) => number): Float64Array {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = draw(rng);
  return xs;
}

interface Summary {
  n: number;
  mean: number;
  variance: number;
  /** Fourth central moment, for the standard error of the variance. */
  m4: number;
}

function summarize(xs: ArrayLike<number>): Summary {
  const n = xs.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i];
  const mean = sum / n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d2 = (xs[i] - mean) ** 2;
    m2 += d2;
    m4 += d2 * d2;
  }
  return { n, mean, variance: m2 / (n - 1), m4: m4 / n };
}

/** Sample mean within Z standard errors of the true mean (SE from the true variance). */
function expectMean(s: Summary, mean: number, variance: number, label: string): void {
  const se = Math.sqrt(variance / s.n);
  expect(Math.abs(s.mean - mean), `${label}: mean ${s.mean} vs ${mean} (SE ${se})`).toBeLessThanOrEqual(Z * se);
}

/** Sample variance within Z standard errors, SE² ≈ (μ4 − σ⁴) / n with μ4 estimated. */
function expectVariance(s: Summary, variance: number, label: string): void {
  const se = Math.sqrt((s.m4 - s.variance ** 2) / s.n);
  const message = `${label}: variance ${s.variance} vs ${variance} (SE ${se})`;
  expect(Math.abs(s.variance - variance), message).toBeLessThanOrEqual(Z * se);
}

function expectMoments(xs: ArrayLike<number>, mean: number, variance: number, label: string): void {
  const s = summarize(xs);
  expectMean(s, mean, variance, label);
  expectVariance(s, variance, label);
}

/** Observed share within Z binomial standard errors of p. */
function expectProportion(hits: number, n: number, p: number, label: string): void {
  const se = Math.sqrt((p * (1 - p)) / n);
  expect(Math.abs(hits / n - p), `${label}: share ${hits / n} vs ${p} (SE ${se})`).toBeLessThanOrEqual(Z * se);
}

/** Upper chi-square quantile at the normal deviate Z (Wilson–Hilferty approximation). */
function chiSquareCritical(df: number): number {
  const h = 2 / (9 * df);
  return df * (1 - h + Z * Math.sqrt(h)) ** 3;
}

/**
 * Pearson chi-square of counts against probabilities. Buckets expected to
 * hold fewer than 5 are pooled (the usual validity rule); buckets of
 * probability 0 must be empty.
 */
function expectFrequencies(counts: ArrayLike<number>, probs: ArrayLike<number>, label: string): void {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  let stat = 0;
  let buckets = 0;
  let pooledObserved = 0;
  let pooledExpected = 0;
  for (let i = 0; i < counts.length; i++) {
    if (probs[i] === 0) {
      expect(counts[i], `${label}: zero-probability bucket ${i} was drawn`).toBe(0);
      continue;
    }
    const expected = probs[i] * total;
    if (expected < 5) {
      pooledObserved += counts[i];
      pooledExpected += expected;
      continue;
    }
    stat += (counts[i] - expected) ** 2 / expected;
    buckets++;
  }
  if (pooledExpected > 0) {
    stat += (pooledObserved - pooledExpected) ** 2 / pooledExpected;
    buckets++;
  }
  const critical = chiSquareCritical(buckets - 1);
  const message = `${label}: chi-square ${stat} on ${buckets - 1} df (critical ${critical})`;
  expect(stat, message).toBeLessThanOrEqual(critical);
}

function normalize(weights: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  return Array.from(weights, (w) => w / total);
}

function countDraws(k: number, n: number, draw: () => number): Float64Array {
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) counts[draw()]++;
  return counts;
}

describe('continuous distributions', () => {
  it('normal(1.5, 2): mean, variance, and P(X < mean + sd)', () => {
    const xs = sample(new Rng('normal'), N, (r) => r.normal(1.5, 2));
    expectMoments(xs, 1.5, 4, 'normal');
    expectProportion(
      xs.filter((x) => x < 3.5).length,
      N,
      0.8413447460685429,
      'normal P(X < mean + sd)',
    );
  });

  it('normal: the cached Box–Muller spare is uncorrelated with its partner', () => {
    const xs = sample(new Rng('normal-pairs'), N, (r) => r.normal());
    let cross = 0;
    for (let i = 0; i + 1 < N; i += 2) cross += xs[i] * xs[i + 1];
    const pairs = N / 2;
    expectMean({ n: pairs, mean: cross / pairs, variance: 1, m4: 0 }, 0, 1, 'normal pair product');
  });

  it('lognormal(0.3, 0.5): moments on both scales', () => {
    const mu = 0.3;
    const sigma = 0.5;
    const xs = sample(new Rng('lognormal'), N, (r) => r.lognormal(mu, sigma));
    const s2 = sigma * sigma;
    expectMoments(xs, Math.exp(mu + s2 / 2), (Math.exp(s2) - 1) * Math.exp(2 * mu + s2), 'lognormal');
    expectMoments(xs.map(Math.log), mu, s2, 'log of lognormal');
  });

  it('exponential(2.5): mean, variance, and P(X > mean) = 1/e', () => {
    const xs = sample(new Rng('exponential'), N, (r) => r.exponential(2.5));
    expectMoments(xs, 0.4, 0.16, 'exponential');
    expectProportion(xs.filter((x) => x > 0.4).length, N, Math.exp(-1), 'exponential P(X > mean)');
  });

  it.each([
    [0.05, 1],
    [0.3, 2],
    [1, 1],
    [4.5, 0.5],
    [60, 0.1],
  ])('gamma(shape %d, scale %d): mean shape·scale, variance shape·scale²', (shape, scale) => {
    const xs = sample(new Rng(`gamma-${shape}`), N, (r) => r.gamma(shape, scale));
    expectMoments(xs, shape * scale, shape * scale * scale, `gamma(${shape}, ${scale})`);
    expect(xs.every((x) => x >= 0)).toBe(true);
  });

  it.each([
    [2, 5],
    [0.5, 0.5],
    [0.01, 0.02], // both gammas often underflow: exercises the vertex fallback
    [40, 3],
  ])('beta(%d, %d): mean a/(a+b) and variance ab/((a+b)²(a+b+1))', (a, b) => {
    const xs = sample(new Rng(`beta-${a}-${b}`), N, (r) => r.beta(a, b));
    const t = a + b;
    expectMoments(xs, a / t, (a * b) / (t * t * (t + 1)), `beta(${a}, ${b})`);
  });

  it('dirichlet([1, 2, 3, 0.5]): rows on the simplex, component means and variances', () => {
    const alpha = [1, 2, 3, 0.5];
    const a0 = alpha.reduce((s, x) => s + x, 0);
    const rows = 50_000;
    const rng = new Rng('dirichlet');
    const columns = alpha.map(() => new Float64Array(rows));
    let worstSum = 0;
    for (let i = 0; i < rows; i++) {
      const row = rng.dirichlet(alpha);
      let sum = 0;
      for (let j = 0; j < alpha.length; j++) {
        columns[j][i] = row[j];
        sum += row[j];
      }
      worstSum = Math.max(worstSum, Math.abs(sum - 1));
    }
    expect(worstSum).toBeLessThan(1e-12);
    alpha.forEach((a, j) => {
      expectMoments(columns[j], a / a0, (a * (a0 - a)) / (a0 * a0 * (a0 + 1)), `dirichlet component ${j}`);
    });
  });
});

describe('poisson', () => {
  // 9.99 and 10 sit either side of the switch from Knuth to PTRS.
  it.each([0.5, 4, 9.99, 10, 37.5, 1000, 1e5])('poisson(%d): mean and variance both equal lambda', (lambda) => {
    const xs = sample(new Rng(`poisson-${lambda}`), N, (r) => r.poisson(lambda));
    expectMoments(xs, lambda, lambda, `poisson(${lambda})`);
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
  });

  it.each([4, 12, 37.5])('poisson(%d): frequencies match the pmf', (lambda) => {
    const rng = new Rng(`poisson-pmf-${lambda}`);
    const maxK = Math.ceil(lambda + 12 * Math.sqrt(lambda) + 10);
    const pmf: number[] = [];
    let logP = -lambda;
    for (let k = 0; k <= maxK; k++) {
      if (k > 0) logP += Math.log(lambda / k);
      pmf.push(Math.exp(logP));
    }
    pmf.push(Math.max(0, 1 - pmf.reduce((s, p) => s + p, 0))); // tail beyond maxK
    const counts = countDraws(pmf.length, N, () => Math.min(rng.poisson(lambda), maxK + 1));
    expectFrequencies(counts, pmf, `poisson(${lambda}) pmf`);
  });
});

describe('discrete choices', () => {
  const weights = [0.1, 0, 2, 5, 0.4, 1.5];

  it('categorical: frequencies proportional to weights, zero weights never drawn', () => {
    const rng = new Rng('categorical');
    expectFrequencies(countDraws(weights.length, N, () => rng.categorical(weights)), normalize(weights), 'categorical');
  });

  it('alias table: frequencies proportional to weights, zero weights never drawn', () => {
    const rng = new Rng('alias');
    const table = new AliasTable(weights);
    expectFrequencies(countDraws(weights.length, N, () => table.sample(rng)), normalize(weights), 'alias');
  });

  it('alias table: a skewed 1000-outcome distribution (Zipf with zeros)', () => {
    const zipf = Array.from({ length: 1000 }, (_, i) => (i % 97 === 5 ? 0 : 1 / (i + 1) ** 1.1));
    const rng = new Rng('alias-zipf');
    const table = new AliasTable(zipf);
    expect(table.size).toBe(1000);
    expectFrequencies(countDraws(1000, 400_000, () => table.sample(rng)), normalize(zipf), 'alias zipf');
  });

  it('int(7): uniform over residues', () => {
    const rng = new Rng('int');
    expectFrequencies(countDraws(7, N, () => rng.int(7)), new Array<number>(7).fill(1 / 7), 'int(7)');
  });

  it('int(3·2^30): uniform over thirds of the range (rejection removes modulo bias)', () => {
    const rng = new Rng('int-large');
    const n = 3 * 2 ** 30;
    const counts = countDraws(3, N, () => Math.floor(rng.int(n) / 2 ** 30));
    expectFrequencies(counts, [1 / 3, 1 / 3, 1 / 3], 'int(3·2^30)');
  });

  it('bernoulli(0.3): hit rate', () => {
    const rng = new Rng('bernoulli');
    let hits = 0;
    for (let i = 0; i < N; i++) if (rng.bernoulli(0.3)) hits++;
    expectProportion(hits, N, 0.3, 'bernoulli(0.3)');
  });

  it('shuffle: all 24 orders of 4 elements equally likely', () => {
    const rng = new Rng('shuffle');
    const trials = 48_000;
    const counts = countDraws(24, trials, () => {
      const p = rng.shuffle([0, 1, 2, 3]);
      // Lehmer code of the permutation, an index in [0, 24).
      let code = 0;
      for (let i = 0; i < 4; i++) {
        let smaller = 0;
        for (let j = i + 1; j < 4; j++) if (p[j] < p[i]) smaller++;
        code = code * (4 - i) + smaller;
      }
      return code;
    });
    expectFrequencies(counts, new Array<number>(24).fill(1 / 24), 'shuffle');
  });
});

describe('sampleIndices uniformity', () => {
  // (5, 2) takes the dense path and (40, 2) the sparse one; both must make
  // every subset equally likely, which per-index counts alone would not show.
  it.each([
    [5, 2],
    [40, 2],
  ])('sampleIndices(%d, %d): every subset equally likely', (n, k) => {
    const rng = new Rng(`subsets-${n}`);
    const subsets = (n * (n - 1)) / 2;
    const counts = countDraws(subsets, 100_000, () => {
      const [i, j] = rng.sampleIndices(n, k);
      return (j * (j - 1)) / 2 + i; // rank of the pair i < j
    });
    expectFrequencies(counts, new Array<number>(subsets).fill(1 / subsets), `subsets of ${n}`);
  });

  it('sampleIndices(1000, 5): every index drawn equally often', () => {
    // Indices within one draw are distinct, which only lowers the spread of
    // the counts, so the multinomial chi-square bound is conservative here.
    const rng = new Rng('indices');
    const counts = new Float64Array(1000);
    for (let t = 0; t < 40_000; t++) for (const i of rng.sampleIndices(1000, 5)) counts[i]++;
    expectFrequencies(counts, new Array<number>(1000).fill(1 / 1000), 'index inclusion');
  });
});
