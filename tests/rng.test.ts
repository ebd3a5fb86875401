import { describe, expect, it } from 'vitest';
import { AliasTable, KeyedStream, RandomStreams, Rng } from '../src/rng/index.js';
import { logFactorial } from '../src/rng/log-factorial.js';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

describe('Rng determinism', () => {
  it('repeats the same sequence for the same seed', () => {
    expect(draws(new Rng('seed-a'), 100)).toEqual(draws(new Rng('seed-a'), 100));
  });

  it('gives different sequences for different seeds', () => {
    expect(draws(new Rng('seed-a'), 10)).not.toEqual(draws(new Rng('seed-b'), 10));
  });

  it('repeats every sampler, not just next(), for the same seed', () => {
    const run = (rng: Rng): unknown[] => [
      rng.normal(),
      rng.normal(), // the cached Box–Muller spare
      rng.gamma(0.4),
      rng.gamma(7, 2),
      rng.beta(2, 3),
      Array.from(rng.dirichlet([1, 2, 3])),
      rng.poisson(3),
      rng.poisson(400),
      rng.categorical([1, 2, 3]),
      rng.shuffle([1, 2, 3, 4, 5, 6]),
      rng.sampleIndices(1000, 5),
      rng.sampleIndices(10, 8),
      new AliasTable([1, 5, 2]).sample(rng),
    ];
    expect(run(new Rng('all'))).toEqual(run(new Rng('all')));
  });

  // Pinned outputs: a change here means every recorded run changes, so it
  // must be deliberate (e.g. a seedrandom upgrade or a new algorithm).
  it('matches pinned values', () => {
    const rng = new Rng('recloop');
    expect(draws(rng, 3)).toEqual([0.14481390942819417, 0.5356485801748931, 0.40947309765033424]);
    const ints = new Rng('recloop');
    expect([ints.int(1000), ints.int(1000)]).toEqual([5, 134]);
    expect(new RandomStreams(42).stream('world/choice').next()).toBe(0.24316562991589308);
  });
});

describe('RandomStreams', () => {
  it('derives a stream from `${seed}/${path}`', () => {
    const streams = new RandomStreams(7);
    expect(draws(streams.stream('users'), 5)).toEqual(draws(new Rng('7/users'), 5));
  });

  it('gives different sequences for different paths', () => {
    const streams = new RandomStreams('root');
    expect(draws(streams.stream('a'), 10)).not.toEqual(draws(streams.stream('b'), 10));
  });

  it('gives different sequences for different root seeds', () => {
    expect(draws(new RandomStreams(1).stream('a'), 10)).not.toEqual(draws(new RandomStreams(2).stream('a'), 10));
  });

  it('returns a fresh, identical stream each time a path is requested', () => {
    const streams = new RandomStreams(3);
    const first = streams.stream('x');
    const firstDraws = draws(first, 5);
    expect(draws(streams.stream('x'), 5)).toEqual(firstDraws);
    expect(draws(first, 5)).not.toEqual(firstDraws); // the first stream kept going
  });

  it('makes child(prefix).stream(path) equal stream(`${prefix}/${path}`)', () => {
    const streams = new RandomStreams(99);
    expect(draws(streams.child('world').stream('choice'), 10)).toEqual(draws(streams.stream('world/choice'), 10));
    expect(draws(streams.child('a').child('b').stream('c'), 10)).toEqual(draws(streams.stream('a/b/c'), 10));
    expect(streams.child('world').seed).toBe(99);
  });

  it('treats numeric and string seeds alike', () => {
    expect(draws(new RandomStreams(42).stream('p'), 5)).toEqual(draws(new RandomStreams('42').stream('p'), 5));
  });

  it('rejects non-finite numeric seeds and empty paths', () => {
    expect(() => new RandomStreams(Number.NaN)).toThrow(RangeError);
    expect(() => new RandomStreams(Infinity)).toThrow(RangeError);
    expect(() => new RandomStreams(1).stream('')).toThrow(RangeError);
    expect(() => new RandomStreams(1).child('')).toThrow(RangeError);
  });
});

describe('Rng ranges', () => {
  const rng = new Rng('ranges');

  it('keeps next() in [0, 1) and uniform(a, b) in [a, b)', () => {
    for (let i = 0; i < 10_000; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      const v = rng.uniform(-3, 5);
      expect(v >= -3 && v < 5).toBe(true);
    }
    expect(rng.uniform(2, 2)).toBe(2);
  });

  it('keeps int(n) in [0, n) and integral, including n beyond 2^32', () => {
    for (const n of [1, 2, 7, 1000, 2 ** 31 + 1, 2 ** 32, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
      for (let i = 0; i < 200; i++) {
        const k = rng.int(n);
        expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
      }
    }
    expect(rng.int(1)).toBe(0);
  });

  it('handles the edge probabilities of bernoulli', () => {
    for (let i = 0; i < 1000; i++) {
      expect(rng.bernoulli(0)).toBe(false);
      expect(rng.bernoulli(1)).toBe(true);
    }
  });

  it('returns 0 from poisson(0) and the mean from normal with sd 0', () => {
    expect(rng.poisson(0)).toBe(0);
    expect(rng.normal(3, 0)).toBe(3);
  });

  it('keeps beta in [0, 1] and dirichlet rows on the simplex, even for tiny parameters', () => {
    for (let i = 0; i < 2000; i++) {
      const b = rng.beta(0.001, 0.002);
      expect(b >= 0 && b <= 1).toBe(true);
      const row = rng.dirichlet([1e-3, 1e-3, 1e-3]);
      const sum = row.reduce((s, x) => s + x, 0);
      expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
      expect(row.every((x) => x >= 0 && x <= 1)).toBe(true);
    }
  });
});

describe('Rng.shuffle', () => {
  it('permutes in place and returns the same array', () => {
    const arr = Array.from({ length: 50 }, (_, i) => i);
    const out = new Rng('shuffle').shuffle(arr);
    expect(out).toBe(arr);
    expect([...arr].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(arr).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('leaves empty and single-element arrays alone', () => {
    const rng = new Rng('shuffle-small');
    expect(rng.shuffle([])).toEqual([]);
    expect(rng.shuffle(['x'])).toEqual(['x']);
  });
});

describe('Rng.sampleIndices', () => {
  const rng = new Rng('sample');

  it('returns k distinct in-range indices in ascending order', () => {
    for (const [n, k] of [[1_000_000, 10], [100, 6], [100, 60], [20, 20], [5, 0], [0, 0], [1, 1]]) {
      const out = rng.sampleIndices(n, k);
      expect(out).toHaveLength(k);
      expect(new Set(out).size).toBe(k);
      for (let i = 0; i < out.length; i++) {
        expect(Number.isInteger(out[i]) && out[i] >= 0 && out[i] < n).toBe(true);
        if (i > 0) expect(out[i]).toBeGreaterThan(out[i - 1]);
      }
    }
  });

  it('is deterministic for a seed', () => {
    const a = new Rng('same');
    const b = new Rng('same');
    expect(a.sampleIndices(10_000, 25)).toEqual(b.sampleIndices(10_000, 25));
    expect(a.sampleIndices(40, 30)).toEqual(b.sampleIndices(40, 30));
  });

  it('returns everything when k = n', () => {
    expect(rng.sampleIndices(8, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('argument validation', () => {
  const rng = new Rng('validate');
  const cases: [string, () => unknown][] = [
    ['uniform with b < a', () => rng.uniform(2, 1)],
    ['uniform with NaN', () => rng.uniform(Number.NaN, 1)],
    ['int(0)', () => rng.int(0)],
    ['int(2.5)', () => rng.int(2.5)],
    ['int(NaN)', () => rng.int(Number.NaN)],
    ['int(2^53)', () => rng.int(2 ** 53)],
    ['bernoulli(-0.1)', () => rng.bernoulli(-0.1)],
    ['bernoulli(1.1)', () => rng.bernoulli(1.1)],
    ['bernoulli(NaN)', () => rng.bernoulli(Number.NaN)],
    ['normal with negative sd', () => rng.normal(0, -1)],
    ['normal with infinite mean', () => rng.normal(Infinity, 1)],
    ['lognormal with negative sigma', () => rng.lognormal(0, -1)],
    ['exponential(0)', () => rng.exponential(0)],
    ['exponential(-1)', () => rng.exponential(-1)],
    ['gamma(0)', () => rng.gamma(0)],
    ['gamma(-1)', () => rng.gamma(-1)],
    ['gamma with scale 0', () => rng.gamma(1, 0)],
    ['beta(0, 1)', () => rng.beta(0, 1)],
    ['beta(1, NaN)', () => rng.beta(1, Number.NaN)],
    ['dirichlet([])', () => rng.dirichlet([])],
    ['dirichlet with a zero', () => rng.dirichlet([1, 0])],
    ['poisson(-1)', () => rng.poisson(-1)],
    ['poisson(Infinity)', () => rng.poisson(Infinity)],
    ['categorical([])', () => rng.categorical([])],
    ['categorical with a negative weight', () => rng.categorical([1, -1])],
    ['categorical with all zeros', () => rng.categorical([0, 0])],
    ['categorical with NaN', () => rng.categorical([1, Number.NaN])],
    ['sampleIndices with k > n', () => rng.sampleIndices(3, 4)],
    ['sampleIndices with negative n', () => rng.sampleIndices(-1, 0)],
    ['sampleIndices with fractional k', () => rng.sampleIndices(10, 1.5)],
    ['AliasTable([])', () => new AliasTable([])],
    ['AliasTable with a negative weight', () => new AliasTable([1, -2])],
    ['AliasTable with all zeros', () => new AliasTable([0, 0, 0])],
    ['AliasTable with Infinity', () => new AliasTable([1, Infinity])],
  ];

  it.each(cases)('throws a RangeError for %s', (_name, call) => {
    expect(call).toThrow(RangeError);
  });

  it('names the method and the bad value in the message', () => {
    expect(() => rng.exponential(-2)).toThrow(/exponential: rate .* \(got -2\)/);
    expect(() => new AliasTable([1, -2])).toThrow(/AliasTable: weights\[1\]/);
  });
});

describe('AliasTable basics', () => {
  it('reports its size and always samples a single outcome', () => {
    const table = new AliasTable([3]);
    expect(table.size).toBe(1);
    const rng = new Rng('alias-one');
    for (let i = 0; i < 100; i++) expect(table.sample(rng)).toBe(0);
  });

  it('accepts typed arrays', () => {
    const table = new AliasTable(new Float64Array([0, 1, 0]));
    const rng = new Rng('alias-typed');
    for (let i = 0; i < 100; i++) expect(table.sample(rng)).toBe(1);
  });
});

describe('logFactorial (used by the Poisson sampler)', () => {
  it('matches a direct sum of logarithms across the table/Stirling switch', () => {
    let exact = 0;
    for (let k = 0; k <= 5000; k++) {
      if (k > 1) exact += Math.log(k);
      const got = logFactorial(k);
      expect(Math.abs(got - exact), `k=${k}`).toBeLessThanOrEqual(1e-12 * Math.max(1, exact));
    }
  });
});

describe('Rng.orderedSample', () => {
  it('returns k distinct in-range indices, sparse and dense alike', () => {
    const rng = new Rng('ordered');
    for (const [n, k] of [[1_000_000, 10], [100, 6], [100, 60], [20, 20], [5, 0], [0, 0], [1, 1]]) {
      const out = rng.orderedSample(n, k);
      expect(out).toHaveLength(k);
      expect(new Set(out).size).toBe(k);
      for (const i of out) expect(Number.isInteger(i) && i >= 0 && i < n).toBe(true);
    }
  });

  // Every (index, slot) pair has probability 1/n; a chi-square over all pairs catches a skew
  // in either the choice of indices or their order.
  it.each([
    [40, 2], // sparse: redraw on a repeat
    [8, 5], // dense: sample, then shuffle
  ])('makes every (index, slot) equally likely (n=%i, k=%i)', (n, k) => {
    const rng = new Rng(`ordered-${n}-${k}`);
    const draws = 40_000;
    const counts = new Float64Array(n * k);
    for (let d = 0; d < draws; d++) rng.orderedSample(n, k).forEach((i, slot) => counts[slot * n + i]++);
    const expected = draws / n;
    let chi2 = 0;
    for (const c of counts) chi2 += (c - expected) ** 2 / expected;
    const dof = n * k - k; // each slot's counts sum to `draws`
    expect(chi2).toBeLessThan(dof + 5 * Math.sqrt(2 * dof));
  });
});

describe('KeyedStream', () => {
  const draws = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.next());

  it('gives a key the same draws whatever was drawn before or for other keys', () => {
    const a = new KeyedStream('7/world/choice');
    const b = new KeyedStream('7/world/choice');
    const first = draws(a.at(12, 3, 1), 5);
    draws(b.at(99, 0, 0), 17); // other keys first, in another order
    b.at(12, 3, 1).normal(); // leaves a spare normal behind
    expect(draws(b.at(12, 3, 1), 5)).toEqual(first);
    expect(b.at(12, 3, 1).normal()).toBe(a.at(12, 3, 1).normal());
  });

  it('gives different keys and different seeds different draws', () => {
    const s = new KeyedStream('seed');
    const seen = new Set<number>();
    for (let u = 0; u < 50; u++) for (let r = 0; r < 20; r++) seen.add(s.at(u, 0, r).next());
    expect(seen.size).toBe(1000);
    expect(new KeyedStream('other').at(1, 2, 3).next()).not.toBe(s.at(1, 2, 3).next());
  });

  // The first draw of consecutive keys is what the world uses most: it must be uniform and
  // uncorrelated with the next key's, or users with nearby ids would act alike.
  it('draws uniforms: first draws of consecutive keys pass a chi-square test and do not correlate', () => {
    const s = new KeyedStream('uniform');
    const n = 100_000;
    const bins = new Float64Array(50);
    let previous = s.at(0, 0, 0).next();
    let lag = 0;
    for (let u = 1; u <= n; u++) {
      const x = s.at(u, 4, 2).next();
      expect(x >= 0 && x < 1).toBe(true);
      bins[Math.floor(x * bins.length)]++;
      lag += (x - 0.5) * (previous - 0.5);
      previous = x;
    }
    const expected = n / bins.length;
    let chi2 = 0;
    for (const c of bins) chi2 += (c - expected) ** 2 / expected;
    expect(chi2).toBeLessThan(49 + 5 * Math.sqrt(2 * 49));
    expect(Math.abs(lag / n / (1 / 12))).toBeLessThan(5 / Math.sqrt(n)); // lag-1 correlation
    const big = s.at(3, 3, 3).int(2 ** 40); // drawn from 53-bit uniforms
    expect(Number.isInteger(big) && big >= 0 && big < 2 ** 40).toBe(true);
  });

  // Shapes below 1 (the boost), 1, large and unequal, and tiny ones whose gammas both underflow
  // to 0 (the draw at 0 or 1); odd and even counts of normals, so a spare is left or not.
  it('betaDrawsAt gives the draws of at() then rng.beta, and leaves the stream where they leave it', () => {
    const alpha = [0.3, 1, 2.5, 40, 1e-6, 7, 0.9, 1e-7, 300];
    const beta = [0.7, 1, 0.2, 3000, 1e-6, 7, 12, 2e-7, 5];
    const batched = new KeyedStream('beta-row');
    const single = new KeyedStream('beta-row');
    let extremes = 0;
    for (let key = 0; key < 300; key++) {
      const count = 1 + (key % alpha.length);
      const out = new Float64Array(count);
      batched.betaDrawsAt(key, 2, 5, alpha, beta, out);
      const rng = single.at(key, 2, 5);
      const expected = Array.from({ length: count }, (_, i) => rng.beta(alpha[i], beta[i]));
      expect(Array.from(out)).toEqual(expected);
      for (const x of out) if (x === 0 || x === 1) extremes++;
      // What comes next (a spare normal if one was left, then uniforms) is the same too.
      expect([batched.rng.normal(), batched.rng.normal(), batched.rng.next()]).toEqual([rng.normal(), rng.normal(), rng.next()]);
    }
    expect(extremes).toBeGreaterThan(50); // the underflow branch ran
  });

  it('betaDrawsAt rejects a shape as Rng.beta does, naming it', () => {
    const s = new KeyedStream('beta-row');
    expect(() => s.betaDrawsAt(1, 0, 0, [1, 0], [1, 1], new Float64Array(2))).toThrow('beta: a must be a positive finite number (got 0)');
    expect(() => s.betaDrawsAt(1, 0, 0, [1], [Number.NaN], new Float64Array(1))).toThrow('beta: b must be a positive finite number (got NaN)');
  });
});
