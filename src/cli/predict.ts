/**
 * `sieve predict <bundle.zip> <file.csv> [--out predictions.csv] [--coverage 0.9] [--drift] [--json]`
 *
 * Scores a CSV with an exported bundle: the bundle is validated (complete, undamaged — its files match
 * the SHA-256 sums model.json records, which catches corruption, not a deliberate edit, since whoever
 * edits a bundle can rewrite the sums — and a format this Sieve reads), its model is loaded from
 * model.json by this Sieve's own copy of the prediction runtime (the bundle's predict.mjs is never run),
 * and the CSV is read by the same engine as everywhere else. Writes the original columns plus
 * `prediction` and `proba_<class>` (cells that a spreadsheet would run as formulas neutralised), and
 * prints `{rows, scored, failed: [{row, message}], out}` as the last line; rows that cannot be scored
 * keep empty prediction cells and are listed, never dropped silently.
 *
 * A calibrated bundle adds `<target>_lower` and `<target>_upper` (regression) or `<target>_set`
 * (classification, labels joined by "|"), at the bundle's coverage or --coverage. With --drift the
 * scored rows are compared with the bundle's training profile (core/drift) and the JSON gains
 * `drift: {verdict, level, rows, columns: [{name, psi, outOfRangeShare, unseenCategories,
 * missingRateChange, verdict, ...}], predictions}`.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cellText } from '../core/data/frame.ts';
import { predictionsCsv } from '../core/export/csv-out.ts';
import { BundleError } from '../core/export/read-bundle.ts';
import { frameRows } from '../core/export/rows.ts';
import type { RowError } from '../core/export/runtime/types.ts';
import { readBundleFile } from '../node/bundle-io.ts';
import { readCsvFile } from '../node/read-csv.ts';
import { CliError, numberOption, parseArgs, printResult, stringOption } from './args.ts';
import type { DriftReport } from '../core/drift/check.ts';

const COMMAND = {
  usage: 'usage: sieve predict <bundle.zip> <file.csv> [--out predictions.csv] [--coverage 0.9] [--drift] [--json]',
  options: ['out', 'coverage'],
  flags: ['json', 'drift'],
};

/** The summary lists at most this many failed rows (failedCount has them all). */
const MAX_LISTED_FAILURES = 10_000;

export interface PredictSummary {
  rows: number;
  scored: number;
  failed: { row: number; message: string }[];
  failedCount: number;
  out: string;
  target: string;
  task: string;
  /** With --drift: the scored rows against the training profile (bins left out: see the page for histograms). */
  drift?: Omit<DriftReport, 'columns' | 'predictions'> & {
    columns: Omit<DriftReport['columns'][number], 'bins'>[];
    predictions?: Omit<NonNullable<DriftReport['predictions']>, 'bins'>;
  };
}

export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, COMMAND);
  const [bundlePath, csvPath] = args.positionals;
  if (!bundlePath || !csvPath) throw new CliError(COMMAND.usage);
  const out = stringOption(args, 'out') ?? defaultOut(csvPath);
  const coverage = numberOption(args, 'coverage');
  if (coverage !== undefined && !(coverage > 0 && coverage < 1)) throw new CliError(`--coverage must be between 0 and 1 (e.g. 0.9), got ${coverage}`);
  const summary = await predictCsv(bundlePath, csvPath, out, { coverage, drift: args.options.has('drift') });
  const human =
    `scored ${summary.scored} of ${summary.rows} rows with the model predicting "${summary.target}"; wrote ${summary.out}` +
    (summary.failedCount ? `\n${summary.failedCount} row${summary.failedCount === 1 ? '' : 's'} could not be scored, e.g. ${summary.failed[0].message}` : '') +
    (summary.drift ? `\n${driftTable(summary.drift)}` : '');
  printResult(summary, args.options.has('json'), human);
}

export async function predictCsv(bundlePath: string, csvPath: string, out: string, opts: { coverage?: number; drift?: boolean } = {}): Promise<PredictSummary> {
  let loaded;
  try {
    loaded = await readBundleFile(bundlePath);
  } catch (err) {
    if (err instanceof BundleError || err instanceof Error) throw new CliError(`${bundlePath}: ${err.message}`);
    throw err;
  }
  const { model } = loaded;
  const { frame } = await readCsvFile(csvPath);
  // A column missing from the whole file is one clear message, not one failure per row.
  const absent = model.inputColumns.filter((name) => !frame.columns.some((c) => c.name === name));
  if (absent.length) {
    throw new CliError(
      `${csvPath} lacks column${absent.length > 1 ? 's' : ''} ${absent.map((a) => `"${a}"`).join(', ')}, which the model needs; it reads ${model.inputColumns.map((c) => `"${c}"`).join(', ')}.`,
    );
  }
  if (opts.coverage !== undefined && !model.uncertainty)
    throw new CliError(`${bundlePath} has no intervals or sets (it was exported before Sieve calibrated them): --coverage does not apply`);
  if (opts.drift && !model.hasDriftProfile)
    throw new CliError(`${bundlePath} has no training profile (it was exported before Sieve made one): --drift does not apply`);
  const inputRows = frameRows(frame, model.inputColumns);
  const { predictions, errors } = model.score(inputRows, { coverage: opts.coverage });
  let drift: PredictSummary['drift'];
  if (opts.drift) {
    const monitor = model.driftMonitor();
    monitor.add(inputRows, predictions);
    const report = monitor.report();
    const shift = report.predictions && { psi: report.predictions.psi, psiNoise: report.predictions.psiNoise, verdict: report.predictions.verdict };
    drift = { ...report, columns: report.columns.map(({ bins: _bins, ...c }) => c), predictions: shift };
  }
  const csv = predictionsCsv({
    header: frame.columns.map((c) => c.name),
    cells: (r) => frame.columns.map((c) => cellText(c, r)),
    rows: frame.rows,
    predictions,
    task: model.task,
    classes: model.classes,
    uncertainty: model.uncertainty ? model.target : undefined,
  });
  try {
    await writeFile(out, csv);
  } catch (err) {
    throw new CliError(`cannot write ${out}: ${(err as Error).message}`);
  }
  const failed = groupByRow(errors);
  return {
    rows: frame.rows,
    scored: predictions.filter((p) => p !== null).length,
    failed: failed.slice(0, MAX_LISTED_FAILURES),
    failedCount: failed.length,
    out,
    target: model.target,
    task: model.task,
    ...(drift ? { drift } : {}),
  };
}

/** The drift verdict and one line per column that is not stable, for people. */
function driftTable(drift: NonNullable<PredictSummary['drift']>): string {
  const lines = [`drift: ${drift.verdict}`];
  for (const c of drift.columns) {
    if (c.verdict === 'stable') continue;
    lines.push(`  ${c.verdict.padEnd(8)} ${c.name}: ${c.reasons.join('; ')}`);
  }
  return lines.join('\n');
}

/** One entry per failed row, its problems joined. */
function groupByRow(errors: RowError[]): { row: number; message: string }[] {
  const byRow = new Map<number, string[]>();
  for (const e of errors) {
    const list = byRow.get(e.row) ?? [];
    list.push(e.message);
    byRow.set(e.row, list);
  }
  return [...byRow].map(([row, messages]) => ({ row, message: messages.join('; ') }));
}

function defaultOut(csvPath: string): string {
  const { dir, name } = path.parse(csvPath);
  return path.join(dir, `${name}.predictions.csv`);
}
