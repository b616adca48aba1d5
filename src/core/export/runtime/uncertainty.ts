/**
 * The conformal part of predict(): a regression row's interval [lo, hi] and a classification row's
 * set, at the model's coverage or another one the caller asks for (any level in (0, 1): the bundle
 * keeps the calibration scores, see core/eval/conformal.ts). Thresholds are computed once per level.
 * The same functions give the engine's intervals and sets, so predict.mjs agrees with Sieve exactly.
 */
import { binOf, checkCoverage, halfWidths, setCutoff, type Conformal } from '../../eval/conformal.ts';

export class Uncertainty {
  readonly #conformal: Conformal;
  readonly #cache = new Map<number, number[] | number>();

  constructor(conformal: Conformal) {
    this.#conformal = conformal;
  }

  get kind(): Conformal['kind'] {
    return this.#conformal.kind;
  }

  get method(): string {
    return this.#conformal.method;
  }

  /** The coverage predict uses unless told otherwise. */
  get coverage(): number {
    return this.#conformal.coverage;
  }

  /** Per Mondrian bin, the interval's half-width at this coverage (Infinity: too few calibration rows for it). */
  #widths(coverage: number): number[] {
    let w = this.#cache.get(coverage);
    if (w === undefined) {
      checkCoverage(coverage);
      w = halfWidths(this.#conformal as Extract<Conformal, { kind: 'interval' }>, coverage);
      this.#cache.set(coverage, w);
    }
    return w as number[];
  }

  /** A function from a predicted value to its interval. */
  intervalFn(coverage = this.coverage): (value: number) => [number, number] {
    const w = this.#widths(coverage);
    const c = this.#conformal as Extract<Conformal, { kind: 'interval' }>;
    if (c.edges.length === 0) {
      const h = w[0];
      return (v) => [v - h, v + h];
    }
    const edges = c.edges;
    return (v) => {
      const h = w[binOf(edges, v)];
      return [v - h, v + h];
    };
  }

  /** The lowest probability a class needs to be in the set at this coverage. */
  setCutoff(coverage = this.coverage): number {
    let cut = this.#cache.get(coverage);
    if (cut === undefined) {
      checkCoverage(coverage);
      cut = setCutoff(this.#conformal as Extract<Conformal, { kind: 'set' }>, coverage);
      this.#cache.set(coverage, cut);
    }
    return cut as number;
  }
}
