/**
 * CSV output shared by the CLI and the page: RFC 4180 quoting, and neutralised spreadsheet formulas.
 *
 * A cell that begins with =, +, -, @, a tab or a carriage return would be run as a formula by Excel,
 * LibreOffice or Google Sheets when the file is opened ("CSV injection"): such a cell gets a leading
 * single quote, which the spreadsheet shows as text. Plain numbers ("-12.5", "+3") are left alone: a
 * spreadsheet reads them as numbers, never as formulas, and negative predictions must stay numbers.
 * "Plain number" is a scan (runtime/plain-number.ts), not a regex: the cells are the user's data, and
 * the regex it replaces backtracked quadratically on a long run of digits.
 */
import { isPlainNumber } from './runtime/plain-number.ts';
import type { Prediction } from './runtime/types.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeCell(s: string): string {
  return FORMULA_START.test(s) && !isPlainNumber(s) ? `'${s}` : s;
}

/** One field, quoted when it holds the delimiter, a quote, a line break or surrounding spaces. */
export function csvField(s: string, delimiter = ','): string {
  if (s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') || s !== s.trim()) {
    return `"${s.replace(/"/g, '""')}"`;
  }
  return s;
}

/** One CSV line (no line break), every cell neutralised then quoted. */
export function csvLine(cells: readonly string[], delimiter = ','): string {
  return cells.map((c) => csvField(neutralizeCell(c), delimiter)).join(delimiter);
}

/**
 * Header names of the prediction columns: `prediction`, then `proba_<class>` per class; with
 * `uncertainty` (the target's name, for a calibrated model) also `<target>_lower` and `<target>_upper`
 * (regression) or `<target>_set` (classification: the set's labels joined by "|").
 */
export function predictionHeader(task: string, classes: readonly string[], uncertainty?: string): string[] {
  const extra = uncertainty === undefined ? [] : task === 'regression' ? [`${uncertainty}_lower`, `${uncertainty}_upper`] : [`${uncertainty}_set`];
  return task === 'regression' ? ['prediction', ...extra] : ['prediction', ...classes.map((c) => `proba_${c}`), ...extra];
}

/** Cells of the prediction columns for one row ('' for a row that could not be scored). */
export function predictionCells(p: Prediction | null, task: string, classes: readonly string[], uncertainty?: string): string[] {
  const withInterval = uncertainty !== undefined;
  if (task === 'regression') {
    if (!p || !('value' in p)) return withInterval ? ['', '', ''] : [''];
    return withInterval ? [String(p.value), String(p.interval?.[0] ?? ''), String(p.interval?.[1] ?? '')] : [String(p.value)];
  }
  if (!p || !('label' in p)) return ['', ...classes.map(() => ''), ...(withInterval ? [''] : [])];
  return [p.label, ...classes.map((c) => String(p.probabilities[c])), ...(withInterval ? [(p.set ?? []).join('|')] : [])];
}

export interface PredictionsCsvInput {
  /** The original columns' names and each row's cells as text. */
  header: readonly string[];
  cells: (row: number) => readonly string[];
  rows: number;
  predictions: readonly (Prediction | null)[];
  task: string;
  classes: readonly string[];
  /** The target's name when the model has intervals or sets (see predictionHeader). */
  uncertainty?: string;
}

/**
 * The scored file: the original columns plus `prediction` and `proba_<class>`, CRLF line ends (what
 * spreadsheets expect). Rows that could not be scored keep empty prediction cells. A prediction
 * column whose name an input column already has gets a `_` prefix, so nothing is overwritten.
 */
export function predictionsCsv(input: PredictionsCsvInput): string {
  const taken = new Set(input.header);
  const extra = predictionHeader(input.task, input.classes, input.uncertainty).map((h) => {
    let name = h;
    while (taken.has(name)) name = `_${name}`;
    taken.add(name);
    return name;
  });
  const lines = [csvLine([...input.header, ...extra])];
  for (let r = 0; r < input.rows; r++) {
    lines.push(csvLine([...input.cells(r), ...predictionCells(input.predictions[r], input.task, input.classes, input.uncertainty)]));
  }
  return `${lines.join('\r\n')}\r\n`;
}
