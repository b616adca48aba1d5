/**
 * One row's explanation as the Compare step shows it: the engine's SHAP contributions (explainRow),
 * plus what the row holds (its input values and actual target) and what the model predicted for it.
 * Runs in the experiment worker, next to the model.
 */
import { explainRow, type RowExplanation } from '../core/automl/explain-row.ts';
import type { FinalModel } from '../core/automl/model.ts';
import { cellText, type Frame } from '../core/data/frame.ts';

export interface ExplainedRow extends RowExplanation {
  /** The row's value of each input column, as text ('' when missing). */
  values: Record<string, string>;
  /** The row's target as written in the CSV ('' when missing). */
  actual: string;
  /** The model's prediction: a class label, or the predicted value as a number in text. */
  predicted: string;
  /** Classification: the model's probability of the predicted class. */
  probability?: number;
}

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
