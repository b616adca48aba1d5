/**
 * What a single CSV cell "is": a plain number (fast path, run once per cell while streaming), or one
 * of the string shapes that type inference looks at once per distinct value (missing-value markers,
 * zero-padded codes, grouped or comma-decimal numbers, booleans).
 */

/** Exact powers of ten: m / 10^k is correctly rounded (equals Number(s)) while m < 2^53 and k <= 22. */
const POW10: number[] = [];
for (let k = 0, p = 1; k <= 22; k++, p *= 10) POW10.push(p);

/**
 * A plain decimal number — `[+-]?digits[.digits][(e|E)[+-]digits]` or `[+-]?.digits` — parsed without
 * allocating; NaN for anything else. Zero-padded integers ("020", "007") are deliberately NaN: they are
 * codes whose zeros matter, and the caller keeps them as strings. The cell must already be trimmed.
 */
export function parseNumberFast(s: string): number {
  return parseNumberSpan(s, 0, s.length);
}

/**
 * parseNumberFast of `text.slice(start, end)`, read in place: the CSV reader parses numeric cells
 * straight from the chunk's text, without cutting a string per cell. Characters outside
 * [start, end) are never looked at.
 */
export function parseNumberSpan(text: string, start: number, end: number): number {
  if (start >= end) return NaN;
  let i = start;
  let c = text.charCodeAt(i);
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
    c = i < end ? text.charCodeAt(i) : NaN;
  }
  // "0" followed by another digit is a zero-padded code, not a number.
  if (c === 48 && i + 1 < end) {
    const next = text.charCodeAt(i + 1);
    if (next >= 48 && next <= 57) return NaN;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let sawDot = false;
  for (; i < end; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (sawDot) fraction++;
    } else if (c === 46 && !sawDot) {
      sawDot = true;
    } else break;
  }
  if (digits === 0) return NaN;
  if (i < end) {
    // Only an exponent may follow; validate it and let the engine do the rounding.
    if (c !== 101 && c !== 69) return NaN;
    i++;
    c = i < end ? text.charCodeAt(i) : NaN;
    if (c === 45 || c === 43) i++;
    if (i >= end) return NaN;
    for (; i < end; i++) {
      c = text.charCodeAt(i);
      if (c < 48 || c > 57) return NaN;
    }
    return Number(start === 0 && end === text.length ? text : text.slice(start, end));
  }
  if (digits > 15) return Number(start === 0 && end === text.length ? text : text.slice(start, end));
  const v = fraction === 0 ? mantissa : mantissa / POW10[fraction];
  return negative ? -v : v;
}

/**
 * parseNumberSpan for ASCII text whose bytes are `bytes` (the same offsets): the reader's fast path.
 * The same steps on bytes instead of characters; `text` is only read for the rare exponent or
 * long-mantissa number, which the engine rounds.
 */
export function parseNumberBytes(bytes: Uint8Array, text: string, start: number, end: number): number {
  if (start >= end) return NaN;
  let i = start;
  let c = bytes[i];
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
    if (i === end) return NaN;
    c = bytes[i];
  }
  if (c === 48 && i + 1 < end) {
    const next = bytes[i + 1];
    if (next >= 48 && next <= 57) return NaN;
  }
  // The integer digits, then the fraction's: two tight loops, no per-digit bookkeeping (this runs
  // once per numeric cell of the file).
  let mantissa = 0;
  const intStart = i;
  for (; i < end; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
  }
  let digits = i - intStart;
  let fraction = 0;
  if (i < end && bytes[i] === 46) {
    const fracStart = ++i;
    for (; i < end; i++) {
      const d = bytes[i] - 48;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
    }
    fraction = i - fracStart;
    digits += fraction;
  }
  if (digits === 0) return NaN;
  if (i < end || digits > 15) return parseNumberSpan(text, start, end);
  const v = fraction === 0 ? mantissa : mantissa / POW10[fraction];
  return negative ? -v : v;
}

/** True for characters String.prototype.trim would remove at the ends that matter in CSVs. */
export function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 160 || code === 10 || code === 13 || code === 0xfeff;
}

/**
 * Tokens that commonly mean "no value". Empty and whitespace-only cells are always missing; these
 * are missing unless the file shows they are a real level (infer.ts: gatherEvidence and finalizeColumn).
 * "None" is not here: it is a real level too often (ames `Mas Vnr Type`).
 */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  'NA',
  'N/A',
  'n/a',
  'na',
  '#N/A',
  'NaN',
  'nan',
  'NAN',
  'null',
  'NULL',
  'Null',
  '?',
  '-',
  '.',
  '<NA>',
]);

/** A zero-padded integer code ("020", "007", "-05"): numeric-looking, but the zeros matter. */
export function isZeroPadded(s: string): boolean {
  return /^-?0\d+$/.test(s);
}

/** "1,234" or "-12,345,678.5": thousands separated by commas (dot decimal). */
const GROUPED_COMMA = /^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/;
/** "1,5" or "-0,25": a decimal comma (European spreadsheets). */
const DECIMAL_COMMA = /^[-+]?\d+,\d+$/;

export type NumberStyle = 'grouped' | 'decimal-comma';

/**
 * Reads a column's distinct non-numeric strings as numbers written with separators, if that reading
 * is unambiguous for the whole column; null otherwise. "1,234" alone is ambiguous (1234, or 1.234 with
 * a decimal comma), so grouping is accepted only when some value proves it: two or more groups
 * ("1,234,567"), a dot decimal ("1,234.5"), or dot decimals among the plain numbers (`plainHasDotDecimals`,
 * called only if needed). A decimal comma is accepted only when some value has a comma not followed by
 * exactly three digits ("1,5") and no plain number has a dot decimal.
 */
export function reinterpretSeparatedNumbers(strings: readonly string[], plainHasDotDecimals: () => boolean): { style: NumberStyle; values: number[] } | null {
  if (strings.length === 0) return null;
  let grouped = 0;
  let groupingProven = false;
  let decimalComma = 0;
  let decimalProven = false;
  for (const s of strings) {
    const isGrouped = GROUPED_COMMA.test(s);
    const isDecimal = DECIMAL_COMMA.test(s);
    // One value of another shape settles it (and keeps this cheap on text columns).
    if (!isGrouped && !isDecimal) return null;
    if (isGrouped) {
      grouped++;
      if (s.indexOf(',') !== s.lastIndexOf(',') || s.includes('.')) groupingProven = true;
    }
    if (isDecimal) {
      decimalComma++;
      if (!/,\d{3}$/.test(s)) decimalProven = true;
    }
  }
  // Asked last: it scans the column's numbers.
  const dotDecimals = (grouped === strings.length || decimalComma === strings.length) && plainHasDotDecimals();
  if (grouped === strings.length && (groupingProven || dotDecimals) && !decimalProven) {
    return { style: 'grouped', values: strings.map((s) => Number(s.replace(/,/g, ''))) };
  }
  if (decimalComma === strings.length && decimalProven && !dotDecimals) {
    return { style: 'decimal-comma', values: strings.map((s) => Number(s.replace(',', '.'))) };
  }
  return null;
}

/** Pairs of words read as booleans (case-insensitive), false first. 0/1 stays numeric on purpose. */
const BOOLEAN_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['false', 'true'],
  ['no', 'yes'],
  ['n', 'y'],
  ['f', 't'],
];

/**
 * For exactly two distinct levels forming a boolean pair, the level that means false and the one that
 * means true; null otherwise.
 */
export function booleanPair(levels: readonly string[]): { falseLevel: string; trueLevel: string } | null {
  if (levels.length !== 2) return null;
  const a = levels[0].toLowerCase();
  const b = levels[1].toLowerCase();
  for (const [f, t] of BOOLEAN_PAIRS) {
    if (a === f && b === t) return { falseLevel: levels[0], trueLevel: levels[1] };
    if (a === t && b === f) return { falseLevel: levels[1], trueLevel: levels[0] };
  }
  return null;
}

/** Formats a number the way a level string would show it (used when a numeric cell joins a categorical column). */
export function formatNumber(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}
