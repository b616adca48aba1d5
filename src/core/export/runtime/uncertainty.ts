/**
 * The conformal part of predict(): a regression row's interval [lo, hi] and a classification row's
 * set, at the model's coverage or another one the caller asks for (any level in (0, 1): the bundle
 * keeps the calibration scores, see core/eval/conformal.ts). Conformalised quantile regression
 * carries two quantile GBDTs (pipeline and predictor), loaded here and run on the same rows. The
 * engine's functions compute the intervals and sets, so predict.mjs agrees with Sieve exactly.
 */
import { checkCoverage, intervals, setRule, type Conformal, type ConformalQuantile, type ConformalRegression, type SetRule } from '../../eval/conformal.ts';
import type { Frame } from '../../data/frame.ts';
import { plainPredictor, type PlainPredictor } from '../../models/plain-predictor.ts';
import { FittedPipeline } from '../../prep/pipeline.ts';

interface QuantileModel {
  pipeline: FittedPipeline;
  predictor: PlainPredictor;
}

export class Uncertainty {
  readonly #conformal: Conformal;
  readonly #rules = new Map<number, SetRule>();
  readonly #quantileModels: [QuantileModel, QuantileModel] | null;

  constructor(conformal: Conformal) {
    this.#conformal = conformal;
    if (conformal.kind === 'interval' && conformal.method === 'cqr') {
      const c = conformal as ConformalQuantile;
      this.#quantileModels = [c.lower, c.upper].map((m) => ({ pipeline: FittedPipeline.fromJSON(m.pipeline), predictor: plainPredictor(m.estimator) })) as [
        QuantileModel,
        QuantileModel,
      ];
    } else this.#quantileModels = null;
  }

  get kind(): Conformal['kind'] {
    return this.#conformal.kind;
  }

  /** 'split' or 'mondrian' (Mondrian: one width per bin of predicted value) or 'cqr' (quantile GBDTs), intervals; 'lac', sets. */
  get method(): string {
    return this.#conformal.method;
  }

  /** The coverage predict uses unless told otherwise. */
  get coverage(): number {
    return this.#conformal.coverage;
  }

  /** CQR: the two quantile models' predictions for a frame's rows (undefined for the other methods). */
  quantiles(frame: Frame): { lo: Float64Array; hi: Float64Array } | undefined {
    if (!this.#quantileModels) return undefined;
    const [lo, hi] = this.#quantileModels.map((m) => m.predictor.predict(m.pipeline.transform(frame)));
    return { lo, hi };
  }

  /** [lo, hi] of every predicted value (CQR: with the quantiles of the same rows). */
  intervals(values: Float64Array, coverage = this.coverage, quantiles?: { lo: Float64Array; hi: Float64Array }): { lower: Float64Array; upper: Float64Array } {
    checkCoverage(coverage);
    return intervals(this.#conformal as ConformalRegression, values, coverage, quantiles);
  }

  /**
   * The probability at which a class enters the set at this coverage: a class above it is in the set,
   * one exactly at it when the raw probabilities break the tie its way (setRule).
   */
  setCutoff(coverage = this.coverage): number {
    return this.setRule(coverage).cut;
  }

  /** What decides membership in a set at this coverage (core/eval/conformal.ts's SetRule and inSet). */
  setRule(coverage = this.coverage): SetRule {
    let rule = this.#rules.get(coverage);
    if (rule === undefined) {
      checkCoverage(coverage);
      rule = setRule(this.#conformal as Extract<Conformal, { kind: 'set' }>, coverage);
      this.#rules.set(coverage, rule);
    }
    return rule;
  }
}
