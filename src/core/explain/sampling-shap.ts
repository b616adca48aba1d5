/**
 * Model-agnostic Shapley values of one row by permutation sampling (Štrumbelj & Kononenko 2014), with
 * antithetic permutations (each permutation is followed by its reverse, as in shap's
 * PermutationExplainer), which cancels much of the sampling noise.
 *
 * The value of a coalition S of columns is the interventional expectation over a background sample:
 * v(S) = mean over background rows z of f(x_S, z_rest). Walking one permutation adds the columns one at
 * a time, and the increments telescope to v(all) − v(∅) = f(x) − mean f(background); so the efficiency
 * property base + Σ values = f(x) holds exactly (to rounding) for any number of samples — only how the
 * total is shared between columns is estimated.
 */
import { Rng } from '../util/random.ts';
import { checkColumns, defaultTargetClass, outputOf, predictOutputsInChunks, type PredictColumns } from './predict.ts';

export interface SamplingShapOptions {
  predict: PredictColumns;
  /** Background rows as columns (one Float64Array per input column), at most a few hundred rows (100 is plenty). */
  background: Float64Array[];
  /** The row to explain, one value per input column. */
  row: ArrayLike<number>;
  names?: readonly string[];
  /**
   * Number of permutations (rounded up to an even number: each one and its reverse). Default 64.
   * Cost: samples × (columns − 1) × background rows predictions, sent in batches.
   */
  samples?: number;
  seed?: number;
  /** Classification: number of classes (2 makes class 1 the default target). */
  nClasses?: number;
  /** Classification: the class whose probability is explained (default: 1 for binary, else 0). */
  targetClass?: number;
}

export interface ShapValues {
  /** Expected output: mean prediction over the background rows. */
  base: number;
  /** One value per input column; base + Σ values = prediction. */
  values: number[];
  /** The model's output for the explained row. */
  prediction: number;
  names?: readonly string[];
}

/** Permutation-sampling Shapley values of one row; see the file comment. */
export async function samplingShap(opts: SamplingShapOptions): Promise<ShapValues> {
  const { predict, background, row } = opts;
  const nb = checkColumns(background, opts.names, 'sampling SHAP');
  const d = background.length;
  if (row.length !== d) throw new RangeError(`sampling SHAP: the row has ${row.length} values for ${d} columns`);
  if (nb === 0) throw new RangeError('sampling SHAP needs at least one background row');
  const targetClass = opts.targetClass ?? defaultTargetClass(opts.nClasses);
  const samples = Math.max(2, 2 * Math.ceil((opts.samples ?? 64) / 2));

  const xCols = Array.from({ length: d }, (_, j) => Float64Array.of(row[j]));
  const prediction = outputOf(await predict(xCols), 0, targetClass);
  const bgOut = await predictOutputsInChunks(predict, nb, (start, count) => background.map((c) => c.slice(start, start + count)), targetClass);
  let base = 0;
  for (let i = 0; i < nb; i++) base += bgOut[i];
  base /= nb;
  const values = new Array<number>(d).fill(0);
  if (d === 1) {
    values[0] = prediction - base;
    return { base, values, prediction, names: opts.names };
  }

  // The permutations: pairs (π, reverse π).
  const rng = new Rng(opts.seed ?? 0);
  const perms: Int32Array[] = [];
  for (let p = 0; p < samples / 2; p++) {
    const pi = rng.shuffle(Int32Array.from({ length: d }, (_, j) => j));
    perms.push(pi, pi.slice().reverse());
  }
  // Intermediate coalitions of permutation p: its first t columns, t = 1..d−1; each is evaluated on every
  // background row. Coalition c = p·(d−1) + (t−1) occupies rows c·nb .. c·nb + nb − 1.
  const coalitions = samples * (d - 1);
  const rank = perms.map((pi) => {
    const r = new Int32Array(d);
    pi.forEach((j, pos) => (r[j] = pos));
    return r;
  });
  const outputs = await predictOutputsInChunks(
    predict,
    coalitions * nb,
    (start, count) =>
      background.map((bg, j) => {
        const col = new Float64Array(count);
        for (let k = 0; k < count; k++) {
          const r = start + k;
          const c = Math.floor(r / nb);
          const p = Math.floor(c / (d - 1));
          const t = (c % (d - 1)) + 1;
          col[k] = rank[p][j] < t ? row[j] : bg[r % nb];
        }
        return col;
      }),
    targetClass,
  );
  for (let p = 0; p < samples; p++) {
    let prev = base;
    for (let t = 1; t <= d; t++) {
      let v: number;
      if (t === d) v = prediction;
      else {
        const c = p * (d - 1) + (t - 1);
        v = 0;
        for (let b = 0; b < nb; b++) v += outputs[c * nb + b];
        v /= nb;
      }
      values[perms[p][t - 1]] += v - prev;
      prev = v;
    }
  }
  for (let j = 0; j < d; j++) values[j] /= samples;
  return { base, values, prediction, names: opts.names };
}
