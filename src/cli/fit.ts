/**
 * `sieve fit <file.csv> --target <col> --model <family> [--params '<json>'] [--seed N]
 *            [--test-size 0.2] [--exclude a,b] [--json]`
 *
 * Fits one model (no search) on a seeded train/test split — stratified by class for classification —
 * and scores it on the held-out rows. The last line of stdout is one JSON object:
 *   { model, params, task, target, backend, rows: {train, test, missingTarget}, features,
 *     fitSeconds, predictSeconds, test: {metric: value}, notes }
 * fitSeconds covers preprocessing and training (binning included for trees), not reading the CSV;
 * predictSeconds covers preprocessing and predicting the test rows.
 * The tensor families run on tfjs' wasm backend in Node (cpu if wasm cannot start, with a note).
 */
import { columnByName, type Frame } from '../core/data/frame.ts';
import { computeMetrics } from '../core/eval/metrics.ts';
import { trainTestSplit } from '../core/eval/split.ts';
import { fitModel } from '../core/models/fitted-model.ts';
import { FAMILIES, isFamilyName } from '../core/models/registry.ts';
import { FAMILY_NAMES, type ParamValue, type Params, type Task } from '../core/models/types.ts';
import { encodeTarget, inferTask, rowsWithTarget, targetClasses } from '../core/prep/target.ts';
import { readCsvFile } from '../node/read-csv.ts';
import { initTfNode } from '../node/tf-node.ts';
import { clipText, quoteName } from '../core/export/runtime/message-text.ts';
import { errorMessage } from '../core/util/error-message.ts';
import { CliError, listOption, numberOption, parseArgs, printResult, stringOption } from './args.ts';

const COMMAND = {
  usage: "usage: sieve fit <file.csv> --target <column> --model <family> [--params '<json>'] [--seed N] [--test-size 0.2] [--exclude a,b] [--json]",
  options: ['target', 'model', 'params', 'seed', 'test-size', 'exclude'],
  flags: ['json'],
};
const TENSOR_FAMILIES = new Set(['linear', 'knn', 'mlp']);

export interface FitCommandResult {
  model: string;
  params: Params;
  task: Task;
  target: string;
  backend: string | null;
  rows: { train: number; test: number; missingTarget: number };
  features: number;
  fitSeconds: number;
  predictSeconds: number;
  test: Record<string, number>;
  notes: string[];
}

export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, COMMAND);
  const file = args.positionals[0];
  const target = stringOption(args, 'target');
  const model = stringOption(args, 'model');
  if (!file || !target || !model) throw new CliError(COMMAND.usage);
  if (!isFamilyName(model)) throw new CliError(`unknown model family ${quoteName(model)}; valid: ${FAMILY_NAMES.join(', ')}`);
  const params = parseParams(stringOption(args, 'params'));
  const seed = numberOption(args, 'seed', 0)!;
  if (!Number.isInteger(seed)) throw new CliError(`--seed must be a whole number, got ${seed}`);
  const testSize = numberOption(args, 'test-size', 0.2)!;
  if (!(testSize > 0 && testSize < 1)) throw new CliError(`--test-size must be between 0 and 1, got ${testSize}`);
  const exclude = listOption(args, 'exclude');

  const { frame } = await readCsvFile(file);
  const result = await fitAndScore(frame, { target, model, params, seed, testSize, exclude });
  const json = args.options.get('json') === true;
  printResult(result, json, json ? undefined : humanReport(result));
}

export interface FitAndScoreOptions {
  target: string;
  model: string;
  params: Params;
  seed: number;
  testSize: number;
  exclude: string[];
}

/** The command's work on an already-read frame (tests call it directly). */
export async function fitAndScore(frame: Frame, opts: FitAndScoreOptions): Promise<FitCommandResult> {
  if (!isFamilyName(opts.model)) throw new CliError(`unknown model family ${quoteName(opts.model)}; valid: ${FAMILY_NAMES.join(', ')}`);
  const family = FAMILIES[opts.model];
  const notes: string[] = [];
  userErrors(() => columnByName(frame, opts.target));
  for (const name of opts.exclude) userErrors(() => columnByName(frame, name), '--exclude: ');
  const task = userErrors(() => inferTask(frame, opts.target));
  if (!family.tasks.includes(task)) {
    throw new CliError(`model family "${family.name}" cannot do ${task} (it supports ${family.tasks.join(', ')})`);
  }
  // Validates the parameters (names, types, ranges) before any work.
  userErrors(() => family.create(task, opts.params));

  let backend: string | null = null;
  if (TENSOR_FAMILIES.has(family.name)) {
    const init = await initTfNode('wasm');
    backend = init.backend;
    if (init.backend !== 'wasm') notes.push(`tfjs backend ${init.reason}`);
  }

  const labelled = rowsWithTarget(frame, opts.target);
  const missingTarget = frame.rows - labelled.length;
  if (missingTarget > 0) notes.push(`${missingTarget} rows without a value for "${opts.target}" left out.`);
  const classes = task === 'regression' ? [] : targetClasses(frame, opts.target, labelled);
  const { y, nClasses } = encodeTarget(frame, opts.target, task, classes, labelled);
  if (labelled.length < 4) throw new CliError(`only ${labelled.length} rows have a target; too few to split and fit`);
  const split = trainTestSplit(y, { testSize: opts.testSize, seed: opts.seed, stratify: task !== 'regression' });
  const trainRows = Int32Array.from(split.train, (i) => labelled[i]);
  const testRows = Int32Array.from(split.test, (i) => labelled[i]);
  const yTest = Float64Array.from(split.test, (i) => y[i]);

  const exclude = new Set([opts.target, ...opts.exclude]);
  const features = frame.columns.map((c) => c.name).filter((n) => !exclude.has(n));
  const fitStart = performance.now();
  const fitted = await fitModel(frame, { target: opts.target, family: family.name, params: opts.params, features, trainRows, seed: opts.seed, task, classes });
  const fitSeconds = (performance.now() - fitStart) / 1000;
  const predictStart = performance.now();
  const pred = await fitted.predict(frame, testRows);
  const predictSeconds = (performance.now() - predictStart) / 1000;
  fitted.dispose();

  return {
    model: family.name,
    params: fitted.estimator.params,
    task,
    target: opts.target,
    backend,
    rows: { train: trainRows.length, test: testRows.length, missingTarget },
    features: fitted.pipeline.features.length,
    fitSeconds: round(fitSeconds),
    predictSeconds: round(predictSeconds),
    test: computeMetrics(task, yTest, pred, nClasses),
    notes: [...notes, ...fitted.pipeline.notes],
  };
}

function parseParams(text: string | undefined): Params {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError(`--params is not valid JSON (${(err as Error).message}); example: --params '{"alpha":0.01}'`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CliError(`--params must be a JSON object such as '{"alpha":0.01}', got ${clipText(text)}`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (!(v === null || ['number', 'string', 'boolean'].includes(typeof v))) {
      throw new CliError(`--params: ${quoteName(k)} must be a number, string, boolean or null, got ${clipText(JSON.stringify(v))}`);
    }
  }
  return value as Record<string, ParamValue>;
}

/** Runs fn, turning its error (a bad column, target or parameter) into a one-line CliError. */
function userErrors<T>(fn: () => T, prefix = ''): T {
  try {
    return fn();
  } catch (err) {
    throw new CliError(prefix + errorMessage(err));
  }
}

const round = (s: number) => Math.round(s * 1000) / 1000;

function humanReport(r: FitCommandResult): string {
  const metrics = Object.entries(r.test)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(4)}`)
    .join('  ');
  const lines = [
    `${r.model} (${r.task}) predicting "${r.target}": ${r.rows.train} training rows, ${r.rows.test} test rows, ${r.features} features`,
    `fit ${r.fitSeconds.toFixed(2)} s, predict ${r.predictSeconds.toFixed(2)} s${r.backend ? ` on tfjs ${r.backend}` : ''}`,
    `test: ${metrics}`,
  ];
  if (r.notes.length) lines.push('notes:', ...r.notes.map((n) => `  ${n}`));
  return lines.join('\n');
}
