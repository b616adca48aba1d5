/**
 * The Compare step's A/B comparison, success check and explanations of a finished run, computed in
 * the experiment worker by the engine's `assess` and kept as plain data with the run summary.
 *
 * Permutation importance costs 1 + columns × repeats predictions of its rows, so on a large test split
 * or a slow model it runs on an evenly spaced sample of the test rows with fewer repeats, and is
 * skipped (the comparison is still made) when even that would take too long: the page must not wait
 * minutes after the budget the user chose.
 */
import { assess, type AssessOptions } from '../core/automl/assess.ts';
import { columnValues, rebuildFrame } from '../core/data/column-values.ts';
import type { ExperimentResult } from '../core/automl/experiment.ts';
import type { ColumnType, Frame } from '../core/data/frame.ts';
import { samplePositions } from '../core/eval/split.ts';
import { errorMessage } from '../core/util/error-message.ts';
import type { ExplainRows, RunAssessment } from '../app/run-results.ts';

/** Most test rows permutation importance and partial dependence use. */
export const EXPLAIN_MAX_ROWS = 1000;
/** Most background rows of a row explanation (explainRow uses at most 200 anyway). */
export const BACKGROUND_ROWS = 200;
/**
 * Permutation importance is cut down, then skipped, past this many seconds of estimated predictions
 * (or what is left of the run's budget, when less).
 */
export const EXPLAIN_BUDGET_SECONDS = 15;

/**
 * Seconds the search leaves for what follows it in the page: the comparison with the existing
 * process (its bootstrap grows with the test split) and the explanations. A tenth of the budget at
 * most; a small table needs about a second.
 */
export function pageAfterSearchSeconds(budgetSeconds: number, rows: number): number {
  return Math.min(0.1 * budgetSeconds, 1 + rows / 200_000);
}
const REPEAT_CHOICES = [5, 3, 1];

/** An evenly strided sample of `rows` (keeps their order): split.ts's samplePositions, the one way to do this. */
export function sampleRows(rows: Int32Array, max: number): Int32Array {
  return Int32Array.from(samplePositions(rows.length, max, 0), (p) => rows[p]);
}

/**
 * Shuffles per column that fit the time budget, given the seconds one prediction of the sample takes,
 * or 0 when even one shuffle per column would not (then importance is skipped).
 */
export function importanceRepeats(secondsPerPrediction: number, columns: number, budgetSeconds = EXPLAIN_BUDGET_SECONDS): number {
  for (const repeats of REPEAT_CHOICES) {
    if (secondsPerPrediction * (1 + columns * repeats) <= budgetSeconds) return repeats;
  }
  return 0;
}

export function explainRowsOf(result: ExperimentResult): ExplainRows {
  return { test: Int32Array.from(result.testRows), background: sampleRows(result.searchRows, BACKGROUND_ROWS) };
}

/**
 * Compares the winner with the baseline on the test split and explains it. Throws only if the
 * comparison itself fails (a bad existing-process column, a champion model that cannot score the test
 * rows); explanations that fail are left out with the reason in `note`. `champion`: a previously
 * exported model as the existing process (used when the project has no baseline column).
 */
export async function assessRun(
  frame: Frame,
  result: ExperimentResult,
  opts: { champion?: AssessOptions['champion']; deadline?: number } = {},
): Promise<{ assessment: RunAssessment; note?: string }> {
  const { model, project } = result;
  const base: AssessOptions = {
    frame,
    project,
    model,
    y: result.y,
    searchRows: result.searchRows,
    testRows: result.testRows,
    testPrediction: result.testPrediction,
    champion: opts.champion,
  };
  const inputs = model.inputColumns;
  const columnTypes = Object.fromEntries(inputs.map((name) => [name, frame.columns.find((c) => c.name === name)?.type ?? 'numeric'])) as Record<
    string,
    ColumnType
  >;
  if (inputs.length === 0) {
    return { assessment: { ...(await assess(base)), columnTypes }, note: 'The model reads no input columns, so there is nothing to explain.' };
  }
  const rows = sampleRows(result.testRows, EXPLAIN_MAX_ROWS);
  const cols = inputs.map((name) => frame.columns.find((c) => c.name === name)!);
  const started = performance.now();
  await model.predictRows(
    rebuildFrame(
      cols,
      cols.map((c) => columnValues(c, rows)),
    ),
  );
  const perPrediction = (performance.now() - started) / 1000;
  // What is left of the run's budget, less a margin for the comparison and posting the results.
  const left = opts.deadline === undefined ? EXPLAIN_BUDGET_SECONDS : (opts.deadline - Date.now()) / 1000 - 0.5 - rows.length / 200_000;
  const repeats = importanceRepeats(perPrediction, inputs.length, Math.min(EXPLAIN_BUDGET_SECONDS, left));
  if (repeats === 0) {
    return {
      assessment: { ...(await assess(base)), columnTypes },
      note: `Explanations were skipped: ${inputs.length} columns at ${perPrediction.toFixed(2)} s per prediction of ${rows.length} test rows would not fit the time budget.`,
    };
  }
  try {
    const assessment = await assess({ ...base, explain: true, explainRows: rows, importanceRepeats: repeats });
    return { assessment: { ...assessment, importanceRows: rows.length, importanceRepeats: repeats, columnTypes } };
  } catch (err) {
    const assessment = await assess(base);
    return { assessment: { ...assessment, columnTypes }, note: `The explanations could not be computed: ${errorMessage(err)}` };
  }
}
