/**
 * Explanations of the final model in input-column terms: why one row got its prediction (exact Tree
 * SHAP for a single tree model, sampling SHAP otherwise) and how the prediction moves with a column
 * (partial dependence). Tree SHAP works on the pipeline's features; their values are summed back to
 * the input column each feature came from.
 */
import type { Frame } from '../data/frame.ts';
import { partialDependence } from '../explain/partial-dependence.ts';
import { samplingShap } from '../explain/sampling-shap.ts';
import { boostingToShapEnsemble, forestToShapEnsemble, type BoostingStateInput, type FlatTreeInput } from '../explain/tree-adapters.ts';
import { treeShap } from '../explain/tree-shap.ts';
import { columnValues, rebuildFrame } from '../data/column-values.ts';
import type { FinalModel } from './model.ts';

export interface RowExplanation {
  /** 0-based frame row. */
  row: number;
  method: 'tree-shap' | 'sampling-shap';
  /** What the numbers are in: e.g. 'log-odds of ">50K"', 'probability of "yes"', 'predicted value'. */
  output: string;
  base: number;
  prediction: number;
  /** Contribution per input column, largest magnitude first; base + Σ value = prediction. */
  contributions: { feature: string; value: number }[];
}

/** Class whose output is explained: the positive class for binary, the predicted class otherwise. */
async function explainedClass(model: FinalModel, frame: Frame, row: number): Promise<number> {
  if (model.task === 'regression') return 0;
  if (model.nClasses === 2) return 1;
  const p = await model.predictRows(frame, [row]);
  return p.values[0];
}

export async function explainRow(model: FinalModel, frame: Frame, row: number, background: Int32Array, seed = 0): Promise<RowExplanation> {
  if (!(row >= 0 && row < frame.rows)) throw new RangeError(`row ${row + 1} does not exist (the data has ${frame.rows} rows)`);
  const k = await explainedClass(model, frame, row);
  const label = model.task === 'regression' ? '' : JSON.stringify(model.classes[k]);
  const bg = background.length > 200 ? background.subarray(0, 200) : background;

  if (!model.isEnsemble) {
    const fitted = model.members[0].model;
    const json = fitted.estimator.toJSON();
    const state = json.state as { format?: string; trees?: FlatTreeInput[]; valueDim?: number };
    const isBoosting = state.format === 'sieve-gbdt-v1';
    const isForest = state.format === 'sieve-forest-v1';
    if (isBoosting || isForest) {
      const X = fitted.pipeline.transform(frame, [row]);
      const coverRows = fitted.pipeline.transform(frame, bg).columns;
      const nOut = isBoosting ? (state as unknown as BoostingStateInput).nOutputs : 1;
      const ensemble = isBoosting
        ? boostingToShapEnsemble(state as unknown as BoostingStateInput, { output: nOut === 1 ? 0 : k, coverRows })
        : forestToShapEnsemble(state.trees!, { valueIndex: model.task === 'regression' ? 0 : k, coverRows });
      const x = X.columns.map((c) => c[0]);
      const shap = treeShap(ensemble, x, X.features.length);
      const bySource = new Map<string, number>();
      X.features.forEach((f, j) => bySource.set(f.source, (bySource.get(f.source) ?? 0) + shap.values[j]));
      const output = model.task === 'regression' ? 'predicted value' : isBoosting ? `log-odds of ${label}` : `probability of ${label}`;
      return { row, method: 'tree-shap', output, base: shap.base, prediction: shap.prediction, contributions: sortByMagnitude(bySource) };
    }
  }

  const inputs = model.inputColumns;
  const cols = inputs.map((name) => frame.columns.find((c) => c.name === name)!);
  const shap = await samplingShap({
    predict: (columns) => model.predictRows(rebuildFrame(cols, columns)),
    background: cols.map((c) => columnValues(c, bg.length > 100 ? bg.subarray(0, 100) : bg)),
    row: cols.map((c) => columnValues(c, Int32Array.of(row))[0]),
    names: inputs,
    samples: 32,
    seed,
    nClasses: model.task === 'regression' ? undefined : model.nClasses,
    targetClass: model.task === 'regression' ? undefined : k,
  });
  const bySource = new Map(inputs.map((name, j) => [name, shap.values[j]]));
  const output = model.task === 'regression' ? 'predicted value' : `probability of ${label}`;
  return { row, method: 'sampling-shap', output, base: shap.base, prediction: shap.prediction, contributions: sortByMagnitude(bySource) };
}

function sortByMagnitude(m: Map<string, number>): { feature: string; value: number }[] {
  return [...m].map(([feature, value]) => ({ feature, value })).sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
}

export interface ColumnDependence {
  feature: string;
  grid: number[];
  /** Level names for a categorical column's grid codes. */
  levels?: string[];
  values: number[];
  output: string;
}

/** Partial dependence of the model's output on each of `features` over (a sample of) `rows`. */
export async function partialDependenceOf(model: FinalModel, frame: Frame, features: string[], rows: Int32Array, seed = 0): Promise<ColumnDependence[]> {
  const inputs = model.inputColumns;
  const cols = inputs.map((name) => frame.columns.find((c) => c.name === name)!);
  const columns = cols.map((c) => columnValues(c, rows));
  const targetClass = model.task === 'regression' ? undefined : model.nClasses === 2 ? 1 : 0;
  const output = model.task === 'regression' ? 'predicted value' : `probability of ${JSON.stringify(model.classes[targetClass!])}`;
  const out: ColumnDependence[] = [];
  for (const feature of features) {
    const j = inputs.indexOf(feature);
    if (j < 0) continue;
    const categorical = cols[j].storage === 'categorical';
    const pd = await partialDependence({
      predict: (c) => model.predictRows(rebuildFrame(cols, c)),
      columns,
      feature: j,
      names: inputs,
      categorical,
      grid: 20,
      sampleRows: 300,
      seed,
      nClasses: model.task === 'regression' ? undefined : model.nClasses,
      targetClass,
    });
    const col = cols[j];
    out.push({
      feature,
      grid: pd.grid,
      values: pd.values,
      output,
      levels: col.storage === 'categorical' ? pd.grid.map((g) => col.levels[g] ?? '') : undefined,
    });
  }
  return out;
}
