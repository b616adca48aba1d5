/**
 * Partial dependence (Friedman 2001): the model's average output when one column is set to a value
 * for every row, traced over a grid of values. Shows how the prediction moves with that column, averaged
 * over the others (it hides interactions and can visit unlikely combinations of values).
 */
import { Rng } from '../util/random.ts';
import { quantileSorted } from '../eval/stats.ts';
import { checkColumns, defaultTargetClass, predictOutputsInChunks, type PredictColumns } from './predict.ts';

export interface PartialDependenceOptions {
  predict: PredictColumns;
  /** Feature columns (typically the test or training rows), one per input column. */
  columns: Float64Array[];
  /** Index of the column to vary. */
  feature: number;
  names?: readonly string[];
  /** True when the column holds category codes: the grid is then its levels. */
  categorical?: boolean;
  /** Number of grid points (default 20) or the grid itself. */
  grid?: number | readonly number[];
  /** Rows averaged over (default 500, drawn without replacement when there are more). */
  sampleRows?: number;
  seed?: number;
  /** Classification: number of classes (2 makes class 1 the default target). */
  nClasses?: number;
  /** Classification: the class whose probability is traced (default: 1 for binary, else 0). */
  targetClass?: number;
}

export interface PartialDependence {
  feature: string;
  featureIndex: number;
  grid: number[];
  /** Mean prediction (regression) or mean probability of `targetClass`, one per grid point. */
  values: number[];
  targetClass?: number;
}

/** Most levels a categorical grid shows (the most frequent ones). */
const MAX_LEVELS = 50;

/**
 * Partial dependence of the output on one column. Default grid: 20 quantiles of the column's non-missing
 * values between the 5th and 95th percentiles (scikit-learn's default range), or every distinct value
 * when there are at most 20; categorical columns use their levels (the 50 most frequent). One batched
 * prediction of grid × sampleRows rows.
 */
export async function partialDependence(opts: PartialDependenceOptions): Promise<PartialDependence> {
  const { predict, columns, feature } = opts;
  const n = checkColumns(columns, opts.names, 'partial dependence');
  if (!Number.isInteger(feature) || feature < 0 || feature >= columns.length) {
    throw new RangeError(`partial dependence: feature index ${feature} is not a column (0..${columns.length - 1})`);
  }
  const name = opts.names?.[feature] ?? `#${feature}`;
  const grid = Array.isArray(opts.grid)
    ? [...(opts.grid as readonly number[])]
    : opts.categorical
      ? categoricalGrid(columns[feature])
      : quantileGrid(columns[feature], typeof opts.grid === 'number' ? opts.grid : 20);
  if (grid.length === 0) throw new RangeError(`partial dependence: column "${name}" has no non-missing values`);

  const sampleRows = opts.sampleRows ?? 500;
  let rows: Int32Array = Int32Array.from({ length: n }, (_, i) => i);
  if (n > sampleRows) rows = new Rng(opts.seed ?? 0).shuffle(rows).slice(0, sampleRows).sort();
  const m = rows.length;
  const targetClass = opts.targetClass ?? defaultTargetClass(opts.nClasses);

  const outputs = await predictOutputsInChunks(
    predict,
    grid.length * m,
    (start, count) =>
      columns.map((col, j) => {
        const out = new Float64Array(count);
        for (let t = 0; t < count; t++) {
          const g = Math.floor((start + t) / m);
          out[t] = j === feature ? grid[g] : col[rows[(start + t) % m]];
        }
        return out;
      }),
    targetClass,
  );
  const values = grid.map((_, g) => {
    let s = 0;
    for (let r = 0; r < m; r++) s += outputs[g * m + r];
    return s / m;
  });
  return { feature: name, featureIndex: feature, grid, values, ...(opts.nClasses ? { targetClass } : {}) };
}

/** Distinct quantiles of the non-missing values between the 5th and 95th percentiles. */
export function quantileGrid(col: Float64Array, points: number): number[] {
  const sorted = Float64Array.from(col.filter((v) => !Number.isNaN(v))).sort();
  if (sorted.length === 0) return [];
  const distinct = [...new Set(sorted)];
  if (distinct.length <= points) return distinct;
  const out: number[] = [];
  for (let i = 0; i < points; i++) {
    const q = 0.05 + (0.9 * i) / Math.max(1, points - 1);
    const v = quantileSorted(sorted, q);
    if (out.length === 0 || v !== out[out.length - 1]) out.push(v);
  }
  return out;
}

function categoricalGrid(col: Float64Array): number[] {
  const counts = new Map<number, number>();
  for (const v of col) if (!Number.isNaN(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, MAX_LEVELS)
    .map(([v]) => v)
    .sort((a, b) => a - b);
}
