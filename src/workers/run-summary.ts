/**
 * Everything the Compare step shows about a finished run, computed in the experiment worker from the
 * engine's ExperimentResult and reduced to small plain data: the page draws it and IndexedDB keeps
 * it, without the Frame or the model (its shape: app/run-results.ts). Curves and scatter plots are
 * thinned to a few hundred points.
 */
import { columnValues, rebuildFrame } from '../core/data/column-values.ts';
import type { ExperimentResult } from '../core/automl/experiment.ts';
import type { Frame } from '../core/data/frame.ts';
import { binaryAuc, confusionMatrix } from '../core/eval/metrics.ts';
import { permutationImportance } from '../core/explain/permutation-importance.ts';
import { errorMessage } from '../core/util/error-message.ts';
import type { ImportanceChart, RegressionCharts, RocCurve, RunAssessment, RunSummary } from '../app/run-results.ts';
import { explainRowsOf } from './run-assessment.ts';

export interface AssessedRun {
  assessment?: RunAssessment;
  note?: string;
}

export const MAX_ROC_CURVES = 10;
const MAX_CURVE_POINTS = 200;
const MAX_SCATTER_POINTS = 1500;
const PERMUTATION_ROWS = 1000;
/** Permutation importance is skipped past this many seconds of estimated prediction time. */
const PERMUTATION_BUDGET_SECONDS = 15;
const TREE_FAMILIES = new Set(['gbdt', 'random_forest', 'extra_trees']);

export async function summarizeRun(frame: Frame, result: ExperimentResult, assessed: AssessedRun = {}): Promise<RunSummary> {
  const { project, testRows, testPrediction } = result;
  const yTest = Float64Array.from(testRows, (r) => result.y[r]);
  const summary: RunSummary = {
    project,
    winner: result.winner,
    leaderboard: result.leaderboard,
    test: result.test,
    testRows: testRows.length,
    searchRows: result.searchRows.length,
    folds: result.folds,
    validation: result.validation,
    refitRows: result.refitRows,
    elapsedSeconds: result.elapsedSeconds,
    trials: result.trials,
    cancelled: result.cancelled,
    selectedFeatures: result.selectedFeatures,
    droppedFeatures: result.droppedFeatures.map((d) => ({ name: d.name, reason: d.reason })),
    importance: null,
    explainRows: explainRowsOf(result),
    ...(result.conformal ? { conformal: result.conformal } : {}),
    ...(result.decisions.calibration ? { decisions: result.decisions } : {}),
    ...(result.constraints ? { constraints: result.constraints } : {}),
    ...(result.monotonicChecks ? { monotonicChecks: result.monotonicChecks } : {}),
  };
  if (assessed.assessment) summary.assessment = assessed.assessment;
  if (assessed.note) summary.assessmentNote = assessed.note;
  if (project.task === 'regression') {
    summary.regression = regressionPoints(yTest, testPrediction.values);
  } else {
    const k = project.nClasses;
    summary.classification = {
      classes: project.classes,
      confusion: confusionMatrix(yTest, testPrediction.values, k),
      roc: testPrediction.proba ? rocCurves(yTest, testPrediction.proba, project.classes) : [],
    };
  }
  const permutation = assessed.assessment?.importance;
  if (permutation && permutation.length > 0) {
    // The assessment already shuffled every column on the test split: no second computation.
    summary.importance = {
      kind: 'permutation',
      metric: project.metric,
      items: permutation.map((i) => ({ feature: i.feature, value: i.mean, std: i.std })),
      rows: assessed.assessment!.importanceRows,
      repeats: assessed.assessment!.importanceRepeats,
    };
    const gain = gainImportance(result);
    if (gain) summary.gainImportance = gain;
    return summary;
  }
  try {
    const { chart, note } = await importanceOf(frame, result, yTest);
    summary.importance = chart;
    if (note) summary.importanceNote = note;
  } catch (err) {
    summary.importanceNote = `Feature importance could not be computed: ${errorMessage(err)}`;
  }
  return summary;
}

/** One-vs-rest ROC curves: the positive class for binary, each class (up to MAX_ROC_CURVES) for multiclass. */
export function rocCurves(y: Float64Array, proba: Float64Array, classes: string[]): RocCurve[] {
  const k = classes.length;
  const positives = k === 2 ? [1] : classes.map((_, i) => i).slice(0, MAX_ROC_CURVES);
  const scores = new Float64Array(y.length);
  return positives.map((c) => {
    for (let i = 0; i < y.length; i++) scores[i] = proba[i * k + c];
    return { label: classes[c], auc: binaryAuc(y, scores, c), points: rocPoints(y, scores, c) };
  });
}

/** The ROC curve's corner points (one per distinct score), thinned to about MAX_CURVE_POINTS. */
export function rocPoints(y: ArrayLike<number>, scores: ArrayLike<number>, positive: number): [number, number][] {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let pos = 0;
  for (let i = 0; i < n; i++) if (y[i] === positive) pos++;
  const neg = n - pos;
  if (pos === 0 || neg === 0) return [];
  const points: [number, number][] = [[0, 0]];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    if (y[order[i]] === positive) tp++;
    else fp++;
    // Tied scores share one threshold: only the last row of a tie makes a point.
    if (i + 1 < n && scores[order[i + 1]] === scores[order[i]]) continue;
    points.push([fp / neg, tp / pos]);
  }
  return thin(points, MAX_CURVE_POINTS);
}

/** Keeps the first and last point and evenly spaced ones between (a monotone curve keeps its shape). */
export function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]);
  return out;
}

export function regressionPoints(actual: Float64Array, predicted: Float64Array): RegressionCharts {
  const n = actual.length;
  const step = Math.max(1, n / MAX_SCATTER_POINTS);
  const points: { actual: number; predicted: number }[] = [];
  for (let t = 0; Math.floor(t) < n; t += step) {
    const i = Math.floor(t);
    points.push({ actual: actual[i], predicted: predicted[i] });
  }
  return { points, total: n };
}

/** Split-gain importance when every member of the winner is a tree model; null otherwise. */
function gainImportance(result: ExperimentResult): ImportanceChart | null {
  const { model } = result;
  if (!model.members.every((m) => TREE_FAMILIES.has(m.model.family))) return null;
  const gains = model.importance();
  return gains.length > 0 ? { kind: 'gain', items: gains.map((g) => ({ feature: g.feature, value: g.gain })) } : null;
}

async function importanceOf(frame: Frame, result: ExperimentResult, yTest: Float64Array): Promise<{ chart: ImportanceChart | null; note?: string }> {
  const { model, project } = result;
  const gain = gainImportance(result);
  if (gain) return { chart: gain };
  // Model-agnostic: shuffle each input column on (a sample of) the test split.
  const inputs = model.inputColumns;
  if (inputs.length === 0) return { chart: null, note: 'The model reads no input columns.' };
  const step = Math.max(1, result.testRows.length / PERMUTATION_ROWS);
  const picked: number[] = [];
  for (let t = 0; Math.floor(t) < result.testRows.length; t += step) picked.push(Math.floor(t));
  const rows = Int32Array.from(picked, (i) => result.testRows[i]);
  const y = Float64Array.from(picked, (i) => yTest[i]);
  const cols = inputs.map((name) => frame.columns.find((c) => c.name === name)!);
  const columns = cols.map((c) => columnValues(c, rows));
  const predict = (shuffled: Float64Array[]) => model.predictRows(rebuildFrame(cols, shuffled));
  const started = performance.now();
  await predict(columns);
  const perPrediction = (performance.now() - started) / 1000;
  let repeats = 3;
  if (perPrediction * inputs.length * repeats > PERMUTATION_BUDGET_SECONDS) repeats = 1;
  if (perPrediction * inputs.length * repeats > PERMUTATION_BUDGET_SECONDS) {
    return {
      chart: null,
      note: `Permutation importance was skipped: ${inputs.length} columns at ${perPrediction.toFixed(2)} s per prediction of the test sample would take too long.`,
    };
  }
  const imps = await permutationImportance({
    predict,
    columns,
    names: inputs,
    y,
    metric: project.metric,
    task: project.task,
    nClasses: project.nClasses,
    repeats,
    seed: project.seed,
  });
  return {
    chart: {
      kind: 'permutation',
      metric: project.metric,
      items: imps.map((i) => ({ feature: i.feature, value: i.mean, std: i.std })),
      rows: rows.length,
      repeats,
    },
  };
}
