/**
 * After the search: how the winner compares with the existing process on the held-out test split,
 * whether it meets the success criterion, and (on request) which inputs it relies on.
 *
 * The existing process is, in order of preference: a column holding today's prediction for each row
 * (labels, or scores/probabilities for a binary target), a champion model (a previous Sieve model),
 * or — so that every project has something to beat — the best single-feature rule learned on the
 * search rows.
 */
import type { Frame } from '../data/frame.ts';
import { columnValues, rebuildFrame } from '../data/column-values.ts';
import { compareWithBaseline, metricWithCi, successCriterion, type AbResult, type SuccessCriterionResult } from '../eval/ab.ts';
import { bestSingleFeatureRule } from '../eval/baselines.ts';
import { argmaxRows, type Prediction } from '../eval/metrics.ts';
import { subsampleRows } from '../eval/split.ts';
import { permutationImportance } from '../explain/permutation-importance.ts';
import { sampleSizeForMetric } from '../eval/power.ts';
import { partialDependenceOf, type ColumnDependence } from './explain-row.ts';
import type { FinalModel } from './model.ts';
import type { ResolvedProject } from './types.ts';
import { compareCosts, type CostComparison } from '../eval/cost-ab.ts';

export interface Assessment {
  ab: AbResult;
  /** Rows per arm a live A/B test needs to detect the observed difference (80 % power, α = 0.05). */
  livePlan: { perArm: number; method: string; note: string } | null;
  success?: SuccessCriterionResult;
  /** The model's test metric with its 95 % bootstrap CI. */
  metric: { value: number; ci: [number, number] };
  importance?: { feature: string; mean: number; std: number }[];
  partialDependence?: ColumnDependence[];
  /** The comparison in the user's cost units (binary tasks with costs). */
  costs?: CostComparison;
}

export interface AssessOptions {
  frame: Frame;
  project: ResolvedProject;
  model: FinalModel;
  y: Float64Array;
  searchRows: Int32Array;
  testRows: Int32Array;
  testPrediction: Prediction;
  /** A previously exported model used as the champion (overrides the naive baseline). */
  champion?: { name: string; predict: (frame: Frame, rows: Int32Array) => Promise<Prediction> };
  explain?: boolean;
  /**
   * Rows (of the frame, a subset of the test rows) that permutation importance and partial dependence
   * use; default every test row. A caller with a time limit passes a sample.
   */
  explainRows?: Int32Array;
  /** Shuffles per column for permutation importance (default 5). */
  importanceRepeats?: number;
}

export async function assess(opts: AssessOptions): Promise<Assessment> {
  const { project, testRows } = opts;
  const yTest = Float64Array.from(testRows, (r) => opts.y[r]);
  const nClasses = project.nClasses;
  const baseline = await baselineOf(opts);
  const resamples = bootstrapResamples(yTest.length);
  const ab = compareWithBaseline({
    task: project.task,
    metric: project.metric,
    y: yTest,
    nClasses,
    model: opts.testPrediction,
    baseline: baseline.prediction,
    baselineName: baseline.name,
    seed: project.seed,
    resamples,
  });
  const metric = metricWithCi({
    task: project.task,
    metric: project.metric,
    y: yTest,
    nClasses,
    prediction: opts.testPrediction,
    seed: project.seed,
    resamples,
  });
  const success =
    project.successThreshold !== undefined
      ? successCriterion({ metric: project.metric, threshold: project.successThreshold, value: metric.value, ci: metric.ci })
      : undefined;
  const goal = project.decision;
  const costs =
    project.task === 'binary' && goal?.costs
      ? compareCosts({
          y: yTest,
          model: opts.testPrediction.values,
          baseline: baseline.prediction.values,
          baselineName: baseline.name,
          positive: goal.positiveClass ?? 1,
          costs: goal.costs,
          seed: project.seed,
          resamples,
          successSavingsPer1000: goal.savingsPer1000,
        })
      : undefined;
  const livePlan = planLiveTest(project, yTest, ab, opts.testPrediction, baseline.prediction);
  const { importance, partialDependence: pd } = opts.explain ? await explainWinner(opts, yTest) : {};
  return { ab, livePlan, success, metric, importance, partialDependence: pd, ...(costs ? { costs } : {}) };
}

/** What the winner is compared with: the user's existing-process column, a champion model, or the best single-feature rule. */
async function baselineOf(opts: AssessOptions): Promise<{ name: string; prediction: Prediction }> {
  const { frame, project, testRows } = opts;
  if (project.baselineColumn) {
    return { name: `the existing process ("${project.baselineColumn}")`, prediction: baselineFromColumn(frame, project, testRows) };
  }
  if (opts.champion) return { name: opts.champion.name, prediction: await opts.champion.predict(frame, testRows) };
  return singleFeatureBaseline(opts);
}

/** Permutation importance over the explained rows, and partial dependence of the three most important columns. */
async function explainWinner(opts: AssessOptions, yTest: Float64Array): Promise<Pick<Assessment, 'importance' | 'partialDependence'>> {
  const { frame, project, testRows } = opts;
  const nClasses = project.nClasses;
  const inputs = opts.model.inputColumns;
  const rows = opts.explainRows ?? testRows;
  const cols = inputs.map((name) => frame.columns.find((c) => c.name === name)!);
  const columns = cols.map((c) => columnValues(c, rows));
  const imps = await permutationImportance({
    predict: (shuffled) => opts.model.predictRows(rebuildFrame(cols, shuffled)),
    columns,
    names: inputs,
    y: opts.explainRows ? Float64Array.from(rows, (r) => opts.y[r]) : yTest,
    metric: project.metric,
    task: project.task,
    nClasses,
    repeats: opts.importanceRepeats ?? 5,
    seed: project.seed,
  });
  const importance = imps.map((i) => ({ feature: i.feature, mean: i.mean, std: i.std }));
  const pd = await partialDependenceOf(
    opts.model,
    frame,
    importance.slice(0, 3).map((i) => i.feature),
    rows,
    project.seed,
  );
  return { importance, partialDependence: pd };
}

/**
 * Bootstrap resamples for a test split of n rows: 2000 up to 10,000 rows, then fewer so that each
 * bootstrap stays near 2·10⁷ row visits (a 200,000-row test split: 200 resamples, under a second).
 * The interval of a large split is narrow, so its endpoints need fewer resamples to settle.
 */
export function bootstrapResamples(n: number): number {
  return Math.max(200, Math.min(2000, Math.round(2e7 / Math.max(1, n))));
}

/** Rows of the search split the single-feature rule is learned from (a seeded stratified sample beyond). */
export const BASELINE_RULE_ROWS = 20_000;

/** Sample size per arm for a live test, from the observed test-split values (null when undefined). */
function planLiveTest(project: ResolvedProject, y: Float64Array, ab: AbResult, model: Prediction, base: Prediction): Assessment['livePlan'] {
  try {
    const prevalence = project.task === 'binary' ? y.reduce((a, v) => a + v, 0) / y.length : undefined;
    let lossSd: number | undefined;
    if (project.task === 'regression') {
      const sq = project.metric === 'mae' ? (d: number) => Math.abs(d) : (d: number) => d * d;
      const losses = [...Array.from(y, (v, i) => sq(v - model.values[i])), ...Array.from(y, (v, i) => sq(v - base.values[i]))];
      const m = losses.reduce((a, b) => a + b, 0) / losses.length;
      lossSd = Math.sqrt(losses.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, losses.length - 1));
    }
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    const targetVariance = y.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, y.length - 1);
    if (ab.metric === 'log_loss') return null;
    const r = sampleSizeForMetric({ metric: ab.metric, modelValue: ab.model, baselineValue: ab.baselineValue, prevalence, lossSd, targetVariance });
    return Number.isFinite(r.perArm) ? { perArm: r.perArm, method: r.method, note: r.note } : null;
  } catch {
    return null;
  }
}

/**
 * Today's predictions from a column. Classification: the column holds labels (matched to the target's
 * classes) or, for a binary target, a numeric score/probability of the positive class. Regression: values.
 */
function baselineFromColumn(frame: Frame, project: ResolvedProject, rows: Int32Array): Prediction {
  const col = frame.columns.find((c) => c.name === project.baselineColumn)!;
  const n = rows.length;
  if (project.task === 'regression') {
    if (col.storage !== 'numeric') throw new Error(`the existing-process column "${col.name}" must hold numbers for a regression target`);
    const values = Float64Array.from(rows, (r) => col.values[r]);
    const bad = values.findIndex((v) => Number.isNaN(v));
    if (bad >= 0) throw new Error(`the existing-process column "${col.name}" is empty in row ${rows[bad] + 1}; fill it or exclude such rows`);
    return { values };
  }
  const K = project.nClasses;
  const classIndex = new Map(project.classes.map((c, i) => [c, i]));
  const label = (r: number): string | null => {
    if (col.storage === 'numeric') return Number.isNaN(col.values[r]) ? null : String(col.values[r]);
    return col.codes[r] < 0 ? null : col.levels[col.codes[r]];
  };
  const allLabels = [...rows].every((r) => {
    const l = label(r);
    return l !== null && classIndex.has(l);
  });
  if (allLabels) {
    const values = Float64Array.from(rows, (r) => classIndex.get(label(r)!)!);
    const proba = new Float64Array(n * K);
    for (let i = 0; i < n; i++) proba[i * K + values[i]] = 1;
    return { values, proba };
  }
  if (K === 2 && col.storage === 'numeric') {
    const scores = Float64Array.from(rows, (r) => col.values[r]);
    const bad = scores.findIndex((v) => Number.isNaN(v));
    if (bad >= 0) throw new Error(`the existing-process column "${col.name}" is empty in row ${rows[bad] + 1}`);
    const lo = Math.min(...scores);
    const hi = Math.max(...scores);
    // Scores outside [0, 1] are rescaled: their order (what AUC measures) is kept.
    const p = Float64Array.from(scores, (s) => (lo >= 0 && hi <= 1 ? s : hi > lo ? (s - lo) / (hi - lo) : 0.5));
    const proba = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      proba[i * 2] = 1 - p[i];
      proba[i * 2 + 1] = p[i];
    }
    return { values: argmaxRows(proba, 2), proba };
  }
  const first = [...rows].find((r) => !classIndex.has(label(r) ?? ''))!;
  throw new Error(
    `the existing-process column "${col.name}" has "${label(first) ?? ''}" in row ${first + 1}, which is not a class of "${project.target}" (${project.classes.join(', ')})`,
  );
}

function singleFeatureBaseline(opts: AssessOptions): { name: string; prediction: Prediction } {
  const { frame, project, testRows } = opts;
  // One threshold or level set per column: 20,000 rows place it as well as a million do.
  const searchRows =
    opts.searchRows.length > BASELINE_RULE_ROWS
      ? subsampleRows(opts.searchRows, opts.y, BASELINE_RULE_ROWS, project.seed + 31, project.task !== 'regression')
      : opts.searchRows;
  // A rule on a column with a level per row (names, free text) only memorises the training rows.
  const usable = project.features.filter((name) => {
    const c = frame.columns.find((col) => col.name === name)!;
    return c.type !== 'text' && !(c.storage === 'categorical' && c.levels.length > Math.min(100, 0.5 * searchRows.length));
  });
  const names = usable.length > 0 ? usable : project.features;
  const cols = names.map((name) => frame.columns.find((c) => c.name === name)!);
  const rule = bestSingleFeatureRule({
    task: project.task,
    yTrain: Float64Array.from(searchRows, (r) => opts.y[r]),
    nClasses: project.nClasses,
    train: cols.map((c) => columnValues(c, searchRows)),
    test: cols.map((c) => columnValues(c, testRows)),
    names,
    categorical: cols.map((c) => c.storage === 'categorical'),
    levels: cols.map((c) => (c.storage === 'categorical' ? c.levels : undefined)),
    classLabels: project.classes,
  });
  return { name: `the best single-feature rule (${rule.description})`, prediction: rule.prediction };
}
