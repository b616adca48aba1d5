/**
 * Permutation importance (Breiman 2001; scikit-learn's `permutation_importance`): how much the test
 * score drops when one column's values are shuffled across rows, breaking its link with the target
 * while keeping its distribution. Model-agnostic; measured on held-out rows.
 */
import type { Task } from '../models/types.ts';
import { computeMetric, METRICS, type MetricName } from '../eval/metrics.ts';
import { Rng } from '../util/random.ts';
import { checkColumns, type PredictColumns } from './predict.ts';

export interface PermutationImportanceOptions {
  predict: PredictColumns;
  /** Test feature columns, one per input column. */
  columns: Float64Array[];
  names: readonly string[];
  y: Float64Array;
  metric: MetricName;
  task: Task;
  nClasses: number;
  /** Shuffles per column (default 5). */
  repeats?: number;
  seed?: number;
}

export interface PermutationImportance {
  feature: string;
  /** Column index in `columns`. */
  index: number;
  /** Mean drop in score over the repeats, signed so positive = the column helps (whatever the metric's direction). */
  mean: number;
  /** Standard deviation of the drop over the repeats (population SD, like scikit-learn). */
  std: number;
  /** The drop of each repeat. */
  drops: number[];
}

/**
 * Permutation importance of every column, sorted by mean drop (largest first). The unshuffled score is
 * computed once; each column is shuffled `repeats` times with a seeded generator, so results are
 * reproducible. Costs columns × repeats predictions of all test rows.
 */
export async function permutationImportance(opts: PermutationImportanceOptions): Promise<PermutationImportance[]> {
  const { predict, columns, names, y, metric, task, nClasses } = opts;
  const repeats = opts.repeats ?? 5;
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`repeats must be a whole number >= 1 (got ${repeats})`);
  const n = checkColumns(columns, names, 'permutation importance');
  if (y.length !== n) throw new RangeError(`permutation importance: ${y.length} targets for ${n} rows`);
  const sign = METRICS[metric].greaterIsBetter ? 1 : -1;
  const score = async (cols: Float64Array[]): Promise<number> => computeMetric(metric, y, await predict(cols), nClasses, task);
  const base = await score(columns);
  const rng = new Rng(opts.seed ?? 0);
  const out: PermutationImportance[] = [];
  for (let j = 0; j < columns.length; j++) {
    const featureRng = rng.fork();
    const drops: number[] = [];
    const cols = columns.slice();
    for (let r = 0; r < repeats; r++) {
      cols[j] = featureRng.shuffle(Float64Array.from(columns[j]));
      drops.push(sign * (base - (await score(cols))));
    }
    const m = drops.reduce((a, b) => a + b, 0) / repeats;
    const sd = Math.sqrt(drops.reduce((a, d) => a + (d - m) ** 2, 0) / repeats);
    out.push({ feature: names[j], index: j, mean: m, std: sd, drops });
  }
  return out.sort((a, b) => b.mean - a.mean || a.index - b.index);
}
