/**
 * Column types, decided once the whole file is read, from each column's builder (column-builder.ts);
 * the columns kept as text are built in infer-strings.ts.
 * Decisions are made per distinct string (dictionary level), never per cell, then cells are mapped.
 *
 * Rules (in order):
 * - Missing: empty and whitespace-only cells always. Tokens like NA, N/A, null, NaN, ? (tokens.ts) are
 *   missing unless the file shows they are data: a token that appears in some numeric column is this
 *   file's missing marker everywhere; otherwise, if the file marks missing values with empty cells,
 *   the token in a text column is a real level (ames: "NA" = no alley) and is kept, with a note.
 * - numeric: numbers make up >= 99 % of the non-missing cells (one stray cell allowed from 20 cells);
 *   the rest ("abc", "#REF!") becomes missing with a `stray-text` warning naming the count and first line.
 *   "1,234"-style grouping and decimal commas count as numbers only when unambiguous (tokens.ts).
 *   0/1 columns stay numeric (a 0/1 target is still a class label for the task logic).
 * - Zero-padded integers ("020"): when they are >= 10 % of the numbers, the column is a code and becomes
 *   categorical (exact text kept) with a `numeric-code` warning; rarer ones are read as numbers (noted).
 * - datetime: >= 99 % of non-missing cells are ISO or d/m/y / m/d/y dates (datetime.ts).
 * - boolean: exactly two levels forming true/false, yes/no, y/n or t/f (any case).
 * - identifier: every non-missing value distinct (and <= 10 % missing, >= 20 rows), not free text;
 *   also row numbers: unique whole numbers from 0 or 1, increasing or exactly 0/1..n (isRowNumberLike).
 * - text: free text — at least half the values contain a space, mean length >= 15, mostly distinct.
 * - categorical: everything else.
 */
import type { Column, NumericColumn } from './frame.ts';
import type { ColumnBuilder } from './column-builder.ts';
import { MODE, exact } from './column-storage.ts';
import { stringColumn, type FinalizeContext } from './infer-strings.ts';
import { dateValue, slashOrder, splitDate, type DateParts } from './datetime.ts';
import { MISSING_TOKENS, isZeroPadded, parseNumberFast, reinterpretSeparatedNumbers } from './tokens.ts';
import type { Warning } from './profile-types.ts';
import { clipText, quoteName } from '../export/runtime/message-text.ts';

/** What type inference decided about a column, beyond what the Frame shows (goes into the profile). */
export interface ColumnInference {
  /** Tokens read as missing in this column ('' = empty or whitespace-only cells). */
  missingTokens: string[];
  /** Human-readable decisions: tokens kept as levels, padded codes, separators, date order, trimming. */
  notes: string[];
  warnings: Warning[];
}

interface FileEvidence {
  /** Missing-value tokens seen in numeric columns: this file's missing markers. */
  tokensInNumeric: Set<string>;
  /** Some column has empty cells: this file marks missing values with empty cells. */
  hasEmptyCells: boolean;
}

/** Shares of one column's non-empty cells, by what their text is. */
interface LevelClasses {
  /** Level index → numeric value when the level text is a plain number, NaN otherwise. */
  number: number[];
  padded: number[];
  tokens: number[];
  strings: number[];
  numericCells: number;
  paddedCells: number;
  tokenCells: number;
  stringCells: number;
}

const STRAY_SHARE = 0.01;
const PADDED_SHARE = 0.1;

function classifyLevels(b: ColumnBuilder): LevelClasses {
  const out: LevelClasses = {
    number: new Array<number>(b.levels.length).fill(NaN),
    padded: [],
    tokens: [],
    strings: [],
    numericCells: b.numbers,
    paddedCells: 0,
    tokenCells: 0,
    stringCells: 0,
  };
  for (let c = 0; c < b.levels.length; c++) {
    const n = b.counts[c];
    if (n === 0) continue;
    const level = b.levels[c];
    const v = parseNumberFast(level);
    if (v === v) {
      out.number[c] = v;
      out.numericCells += n;
    } else if (MISSING_TOKENS.has(level)) {
      out.tokens.push(c);
      out.tokenCells += n;
    } else if (isZeroPadded(level)) {
      out.padded.push(c);
      out.paddedCells += n;
    } else {
      out.strings.push(c);
      out.stringCells += n;
    }
  }
  return out;
}

function strayAllowed(stray: number, nonMissing: number): boolean {
  return stray <= STRAY_SHARE * nonMissing || (stray === 1 && nonMissing >= 20);
}

/** Numeric by its numbers alone (tokens as missing, padded codes as numbers): for the file-level evidence. */
function looksNumeric(k: LevelClasses): boolean {
  const numbers = k.numericCells + k.paddedCells;
  return numbers > 0 && strayAllowed(k.stringCells, numbers + k.stringCells);
}

function gatherEvidence(builders: ColumnBuilder[], classes: LevelClasses[]): FileEvidence {
  const evidence: FileEvidence = { tokensInNumeric: new Set(), hasEmptyCells: false };
  builders.forEach((b, j) => {
    if (b.empty > 0) evidence.hasEmptyCells = true;
    if (looksNumeric(classes[j])) for (const c of classes[j].tokens) evidence.tokensInNumeric.add(b.levels[c]);
  });
  return evidence;
}

/** Types every column and builds its final storage; builders are emptied as they are converted. */
export function finalizeColumns(builders: ColumnBuilder[], ctx: FinalizeContext): { columns: Column[]; inference: ColumnInference[] } {
  const classes = builders.map(classifyLevels);
  const evidence = gatherEvidence(builders, classes);
  const columns: Column[] = [];
  const inference: ColumnInference[] = [];
  builders.forEach((b, j) => {
    const info: ColumnInference = { missingTokens: b.empty > 0 ? [''] : [], notes: [], warnings: [] };
    columns.push(finalizeColumn(b, classes[j], evidence, ctx, info));
    inference.push(info);
    // Free the streaming storage now: the next column's conversion may need the memory.
    b.values = null;
    b.codes = null;
  });
  return { columns, inference };
}

function finalizeColumn(b: ColumnBuilder, k: LevelClasses, ev: FileEvidence, ctx: FinalizeContext, info: ColumnInference): Column {
  // Names and values in messages are cut (a header line can be one 5 MB name).
  const q = quoteName;
  if (b.trimmedDistinct > 0) info.notes.push(`${b.trimmedDistinct} distinct value(s) had spaces around them; the spaces were removed.`);

  // 1. Numeric?
  const numeric = tryNumeric(b, k, ctx, info);
  if (numeric) {
    if (!isRowNumberLike(numeric.values)) return numeric;
    info.notes.push('Whole numbers, unique, running like row numbers: an identifier, not a measurement.');
    // Kept as numbers: a level string per row would cost ~40 bytes a row in every context that holds
    // the frame, for a column no model reads.
    return { ...numeric, type: 'identifier' };
  }

  // Missing-value tokens in a text column: missing, or real levels?
  const keptTokens: number[] = [];
  const readAsMissing: string[] = [];
  for (const c of k.tokens) {
    const token = b.levels[c];
    if (!ev.tokensInNumeric.has(token) && (b.empty > 0 || ev.hasEmptyCells)) {
      keptTokens.push(c);
    } else {
      info.missingTokens.push(token);
      if (k.tokenCells > 0 && ev.tokensInNumeric.has(token) && b.empty === 0 && ev.hasEmptyCells) readAsMissing.push(q(token));
    }
  }
  // One sentence for all the tokens of a kind (up to 15 tokens), so the note stays short.
  if (keptTokens.length === 1) {
    const token = q(b.levels[keptTokens[0]]);
    info.notes.push(
      `${token} (${b.counts[keptTokens[0]]} cells) is kept as a level, not read as missing: this file marks missing values with empty cells, so ${token} here is a value (e.g. "none").`,
    );
  } else if (keptTokens.length > 1) {
    const listed = keptTokens.map((c) => `${q(b.levels[c])} (${b.counts[c]} cells)`);
    info.notes.push(
      `${listed.slice(0, -1).join(', ')} and ${listed[listed.length - 1]} are kept as levels, not read as missing: this file marks missing values with empty cells, so here they are values (e.g. "none").`,
    );
  }
  if (readAsMissing.length) {
    const listed = readAsMissing.length === 1 ? readAsMissing[0] : `${readAsMissing.slice(0, -1).join(', ')} and ${readAsMissing[readAsMissing.length - 1]}`;
    info.notes.push(
      `${listed} ${readAsMissing.length === 1 ? 'is' : 'are'} read as missing: the file uses ${readAsMissing.length === 1 ? 'it' : 'them'} for missing numbers too.`,
    );
  }
  const keptTokenCells = keptTokens.reduce((s, c) => s + b.counts[c], 0);
  const nonMissing = k.numericCells + k.paddedCells + k.stringCells + keptTokenCells;

  // 2. Datetime?
  if (k.stringCells > 0) {
    const dt = tryDatetime(b, k, nonMissing, ctx, info);
    if (dt) return dt;
  }

  // 3. A string column: boolean, identifier, text or categorical.
  const levelOk = new Array<boolean>(b.levels.length).fill(false);
  for (const list of [k.padded, k.strings, keptTokens]) for (const c of list) levelOk[c] = true;
  k.number.forEach((v, c) => {
    if (v === v && b.counts[c] > 0) levelOk[c] = true;
  });
  const column = stringColumn(b, levelOk, nonMissing, ctx);
  // An identifier keeps its zeros as text too; its id-like warning says enough.
  const codeLike = k.paddedCells > 0 && k.paddedCells + k.numericCells >= 0.9 * nonMissing;
  if (codeLike && column.type !== 'identifier') {
    info.warnings.push({
      column: b.name,
      kind: 'numeric-code',
      message: `${clipText(b.name)} looks numeric but holds zero-padded codes (e.g. ${q(b.levels[k.padded[0]])}); kept as categories so the zeros are not lost.`,
    });
  }
  return column;
}

/** The column as numbers, or null when too much of it is text. */
function tryNumeric(b: ColumnBuilder, k: LevelClasses, ctx: FinalizeContext, info: ColumnInference): NumericColumn | null {
  const levelValue = k.number.slice();
  const notes: string[] = [];
  let numbers = k.numericCells;
  let stray = k.stringCells;
  // Zero-padded integers: a code when common, stray formatting when rare.
  if (k.paddedCells > 0) {
    if (k.paddedCells >= PADDED_SHARE * (numbers + k.paddedCells)) return null;
    for (const c of k.padded) levelValue[c] = Number(b.levels[c]);
    numbers += k.paddedCells;
    notes.push(`${k.paddedCells} value(s) with leading zeros (e.g. ${quoteName(b.levels[k.padded[0]])}) were read as numbers.`);
  }
  if (numbers === 0 && stray === 0) return null;
  // Numbers written with separators, all or nothing for the column's remaining strings.
  if (stray > 0) {
    const texts = k.strings.map((c) => b.levels[c]);
    const reading = reinterpretSeparatedNumbers(texts, () => hasFraction(b, k));
    if (reading) {
      k.strings.forEach((c, i) => (levelValue[c] = reading.values[i]));
      numbers += stray;
      stray = 0;
      notes.push(
        reading.style === 'grouped'
          ? `Numbers written with thousands separators (e.g. ${quoteName(texts[0])}) were read as numbers.`
          : `Numbers written with a decimal comma (e.g. ${quoteName(texts[0])}) were read as numbers.`,
      );
    }
  }
  if (numbers === 0 || !strayAllowed(stray, numbers + stray)) return null;

  info.notes.push(...notes);
  for (const c of k.tokens) info.missingTokens.push(b.levels[c]);
  if (stray > 0) {
    const strayLevels = k.strings.filter((c) => levelValue[c] !== levelValue[c]);
    const first = strayLevels.reduce((a, c) => (b.firstRow[c] < b.firstRow[a] ? c : a), strayLevels[0]);
    info.warnings.push({
      column: b.name,
      kind: 'stray-text',
      message: `${clipText(b.name)} is numeric but ${stray} value(s) are not numbers (first: ${quoteName(b.levels[first])} on line ${ctx.lineOf(b.firstRow[first])}); they are read as missing.`,
    });
  }

  const rows = b.length;
  let values: Float64Array;
  if (b.mode === MODE.NUMERIC) {
    values = b.values!;
    const codes = b.codes;
    if (codes) {
      for (let r = 0; r < rows; r++) {
        const c = codes[r];
        if (c > 0) values[r] = levelValue[c - 1];
      }
    }
  } else {
    values = new Float64Array(rows);
    const codes = b.codes;
    if (codes) for (let r = 0; r < rows; r++) values[r] = codes[r] > 0 ? levelValue[codes[r] - 1] : NaN;
    else values.fill(NaN);
  }
  return { name: b.name, type: 'numeric', storage: 'numeric', values: exact(values, rows, ctx.shared) };
}

function hasFraction(b: ColumnBuilder, k: LevelClasses): boolean {
  if (k.number.some((v) => v === v && !Number.isInteger(v))) return true;
  const values = b.values;
  if (!values) return false;
  for (let r = 0; r < b.length; r++) {
    const v = values[r];
    if (v === v && !Number.isInteger(v)) return true;
  }
  return false;
}

function tryDatetime(b: ColumnBuilder, k: LevelClasses, nonMissing: number, ctx: FinalizeContext, info: ColumnInference): NumericColumn | null {
  const parts: (DateParts | null)[] = new Array(b.levels.length).fill(null);
  let dateCells = 0;
  for (const c of k.strings) {
    const p = splitDate(b.levels[c]);
    if (p) {
      parts[c] = p;
      dateCells += b.counts[c];
    }
  }
  if (dateCells === 0 || !strayAllowed(nonMissing - dateCells, nonMissing)) return null;
  const order = slashOrder(parts.filter((p): p is DateParts => p !== null));
  if (!order) return null;
  const levelValue = parts.map((p) => (p ? dateValue(p, order.order) : NaN));
  let stray = nonMissing;
  let firstBad = -1;
  for (let c = 0; c < b.levels.length; c++) {
    if (b.counts[c] === 0) continue;
    if (levelValue[c] === levelValue[c]) stray -= b.counts[c];
    else if (!MISSING_TOKENS.has(b.levels[c]) && (firstBad < 0 || b.firstRow[c] < b.firstRow[firstBad])) firstBad = c;
  }
  if (!strayAllowed(stray, nonMissing)) return null;
  const usesSlash = parts.some((p) => p?.form === 'slash');
  if (usesSlash) {
    info.notes.push(
      order.ambiguous
        ? 'Dates like "4/3/2021" could be day/month or month/day and nothing in the column decides it: read as month/day.'
        : `Dates read as ${order.order === 'dmy' ? 'day/month/year' : 'month/day/year'}.`,
    );
  }
  for (const c of k.tokens) info.missingTokens.push(b.levels[c]);
  if (stray > 0) {
    info.warnings.push({
      column: b.name,
      kind: 'stray-text',
      message: `${clipText(b.name)} holds dates but ${stray} value(s) are not dates${firstBad >= 0 ? ` (first: ${quoteName(b.levels[firstBad])} on line ${ctx.lineOf(b.firstRow[firstBad])})` : ''}; they are read as missing.`,
    });
  }
  const rows = ctx.rows;
  const values = new Float64Array(rows);
  const codes = b.codes!;
  for (let r = 0; r < rows; r++) values[r] = codes[r] > 0 ? levelValue[codes[r] - 1] : NaN;
  return { name: b.name, type: 'datetime', storage: 'numeric', values };
}

/**
 * Row numbers: whole numbers starting at 0 or 1, unique, no missing, and either strictly increasing
 * with few gaps (rows filtered out: at most 1 in 5 numbers skipped) or exactly 0/1..n in any order. Other unique whole
 * numbers (a year per row, codes) stay numeric, with an id-like warning from the profile.
 */
export function isRowNumberLike(values: Float64Array): boolean {
  const n = values.length;
  if (n < 20) return false;
  let increasing = true;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v || !Number.isInteger(v)) return false;
    if (i > 0 && v <= values[i - 1]) increasing = false;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min !== 0 && min !== 1) return false;
  // Increasing with at most a fifth of the numbers missing (rows filtered out), or exactly 0/1..n.
  if (increasing) return max - min + 1 <= 1.25 * n;
  if (max - min + 1 !== n) return false;
  // Exactly n consecutive values: unique iff every value is seen once.
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = values[i] - min;
    if (seen[k]) return false;
    seen[k] = 1;
  }
  return true;
}
