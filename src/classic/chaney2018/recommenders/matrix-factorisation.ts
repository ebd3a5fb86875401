/**
 * Matrix factorisation for implicit feedback (Hu, Koren and Volinsky's weighted ALS): every
 * (user, known item) cell is a 1 or a 0 with confidence 1 + c for a consumption and 1 otherwise.
 * Each training runs a few sweeps from the last training's factors, so repeated training refines
 * one model rather than starting over. Items that arrived after the last training have no factors
 * and rank last.
 */
import type { Rng } from '../../../rng/index.js';
import type { Interactions } from '../interactions.js';
import { cholesky, choleskySolve } from '../../../ml/cholesky.js';
import { addOuter } from './linear-algebra.js';
import type { ChaneyRecommender } from './types.js';

export interface MatrixFactorisationSettings {
  readonly factors: number;
  readonly regularisation: number;
  readonly confidence: number;
  readonly sweeps: number;
}

/** Starting factors are small, so the first sweep is led by the data. */
const INITIAL_SD = 0.1;

export class MatrixFactorisationRecommender implements ChaneyRecommender {
  readonly interleavesNewItems = true;
  private readonly userFactors: Float64Array;
  private readonly itemFactors: Float64Array;
  private itemsKnown = 0;

  constructor(
    private readonly users: number,
    private readonly items: number,
    private readonly settings: MatrixFactorisationSettings,
    init: Rng,
  ) {
    const f = settings.factors;
    this.userFactors = new Float64Array(users * f);
    this.itemFactors = new Float64Array(items * f);
    for (let j = 0; j < this.userFactors.length; j++) this.userFactors[j] = init.normal(0, INITIAL_SD);
    for (let j = 0; j < this.itemFactors.length; j++) this.itemFactors[j] = init.normal(0, INITIAL_SD);
  }

  train(interactions: Interactions, itemsKnown: number): void {
    this.itemsKnown = itemsKnown;
    const consumersOf: number[][] = Array.from({ length: itemsKnown }, () => []);
    const itemsOf: number[][] = [];
    for (let u = 0; u < this.users; u++) {
      const mine = Array.from(interactions.itemsOf(u)).filter((i) => i < itemsKnown);
      itemsOf.push(mine);
      for (const i of mine) consumersOf[i].push(u);
    }
    for (let sweep = 0; sweep < this.settings.sweeps; sweep++) {
      this.solveSide(this.userFactors, this.users, this.itemFactors, itemsKnown, itemsOf);
      this.solveSide(this.itemFactors, itemsKnown, this.userFactors, this.users, consumersOf);
    }
  }

  score(user: number, items: number, out: Float64Array): void {
    const f = this.settings.factors;
    for (let i = 0; i < items; i++) {
      if (i >= this.itemsKnown) {
        out[i] = -Infinity;
        continue;
      }
      let s = 0;
      for (let j = 0; j < f; j++) s += this.userFactors[user * f + j] * this.itemFactors[i * f + j];
      out[i] = s;
    }
  }

  /**
   * One half-sweep: each row r of `solved` becomes (OᵀO + λI + c Σ o oᵀ)⁻¹ (1 + c) Σ o, the sums
   * over the rows o of `other` it has an interaction with.
   */
  private solveSide(solved: Float64Array, solvedRows: number, other: Float64Array, otherRows: number, links: readonly number[][]): void {
    const f = this.settings.factors;
    const { regularisation, confidence } = this.settings;
    const base = new Float64Array(f * f);
    for (let o = 0; o < otherRows; o++) addOuter(base, other, o * f, f, 1);
    for (let j = 0; j < f; j++) base[j * f + j] += regularisation;
    const a = new Float64Array(f * f);
    const b = new Float64Array(f);
    for (let r = 0; r < solvedRows; r++) {
      a.set(base);
      b.fill(0);
      for (const o of links[r]) {
        addOuter(a, other, o * f, f, confidence);
        for (let j = 0; j < f; j++) b[j] += (1 + confidence) * other[o * f + j];
      }
      solved.set(choleskySolve(cholesky(a, f), f, b), r * f);
    }
  }
}
