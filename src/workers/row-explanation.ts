/**
 * One row's explanation as the Compare step shows it: the engine's SHAP contributions (explainRow),
 * plus what the row holds (its input values and actual target) and what the model predicted for it.
 * Runs in the experiment worker, next to the model.
 */
import { explainRow } from '../core/automl/explain-row.ts';
import type { FinalModel } from '../core/automl/model.ts';
import { cellText, type Frame } from '../core/data/frame.ts';
import type { ExplainedRow } from '../app/run-results.ts';

export async function explainFrameRow(model: FinalModel, frame: Frame, row: number, background: Int32Array, seed: number): Promise<ExplainedRow> {
  const explanation = await explainRow(model, frame, row, background, seed);
  const values: Record<string, string> = {};
  for (const name of model.inputColumns) {
    const col = frame.columns.find((c) => c.name === name);
    values[name] = col ? cellText(col, row) : '';
  }
  const target = frame.columns.find((c) => c.name === model.target);
  const prediction = await model.predictRows(frame, [row]);
  const out: ExplainedRow = { ...explanation, values, actual: target ? cellText(target, row) : '', predicted: '' };
  if (model.task === 'regression') {
    out.predicted = String(prediction.values[0]);
  } else {
    const k = prediction.values[0];
    out.predicted = model.classes[k] ?? String(k);
    if (prediction.proba) out.probability = prediction.proba[k];
  }
  return out;
}
