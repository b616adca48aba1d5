/**
 * Delimiter and line-break detection from the first lines of a file, quote-aware: a comma inside
 * "Braund, Mr. Owen Harris" is not a separator, and a quoted line break does not end a record.
 */

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Newline = '\n' | '\r\n' | '\r';

/** Records looked at (the header plus this many minus one). */
const SAMPLE_RECORDS = 50;

/** Index of the first line break outside quotes at or after `from` (a record's start), or -1. */
export function firstRecordEnd(text: string, from = 0): number {
  let inQuotes = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (!inQuotes && (c === 10 || c === 13)) return i;
  }
  return -1;
}

/**
 * How many `delimiter`s (one character) lie outside quotes between the start of the record holding
 * `at` and `at`: the 0-based field of the character at `at`, or, with `at` at a record's end, the
 * record's field count minus one. `text` must start at a record boundary.
 */
export function fieldAt(text: string, at: number, delimiter: string): number {
  const d = delimiter.charCodeAt(0);
  let field = 0;
  let inQuotes = false;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (!inQuotes) {
      if (c === d) field++;
      else if (c === 10 || c === 13) field = 0;
    }
  }
  return field;
}

/** The line break of the first record end outside quotes; '\n' when the sample has none. */
export function detectNewline(sample: string): Newline {
  const i = firstRecordEnd(sample);
  if (i < 0 || sample.charCodeAt(i) === 10) return '\n';
  return sample.charCodeAt(i + 1) === 10 ? '\r\n' : '\r';
}

/**
 * Per record, how many times each candidate occurs outside quotes. A record that is the unfinished
 * tail of the sample is left out unless the sample is the whole input.
 */
function countPerRecord(sample: string, complete: boolean): number[][] {
  const records: number[][] = [];
  let counts = DELIMITERS.map(() => 0);
  let inQuotes = false;
  let blank = true;
  for (let i = 0; i < sample.length && records.length < SAMPLE_RECORDS; i++) {
    const ch = sample[i];
    if (ch === '"') {
      inQuotes = !inQuotes;
      blank = false;
    } else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (!blank) records.push(counts);
      counts = DELIMITERS.map(() => 0);
      blank = true;
    } else {
      if (!inQuotes) {
        const k = DELIMITERS.indexOf(ch as (typeof DELIMITERS)[number]);
        if (k !== -1) counts[k]++;
      }
      if (ch !== ' ' && ch !== '\t') blank = false;
    }
  }
  if (complete && !blank && records.length < SAMPLE_RECORDS) records.push(counts);
  return records;
}

/**
 * What papaparse splits on for a one-column file: NUL, because NUL never reaches the parser. The
 * reader refuses any chunk holding one (csv-reader.ts, before parsing, with the line and column), so
 * this delimiter cannot split a cell. (A printable character would: "Lyon, France" must stay whole.)
 */
export const NO_DELIMITER = '\u0000';

/**
 * The candidate that splits the header into the most consistent number of fields across the
 * sampled records: score = share of records with the header's count; ties go to the larger count,
 * then to the order comma, semicolon, tab, pipe. When no candidate occurs in the header the file is
 * a single column: NO_DELIMITER, so a value like "Lyon, France" stays whole.
 */
export function detectDelimiter(sample: string, complete: boolean): string {
  const records = countPerRecord(sample, complete);
  if (records.length === 0) return NO_DELIMITER;
  let best = NO_DELIMITER;
  let bestShare = -1;
  let bestCount = 0;
  DELIMITERS.forEach((delim, k) => {
    const headerCount = records[0][k];
    if (headerCount === 0) return;
    let same = 0;
    for (const r of records) if (r[k] === headerCount) same++;
    const share = same / records.length;
    if (share > bestShare || (share === bestShare && headerCount > bestCount)) {
      best = delim;
      bestShare = share;
      bestCount = headerCount;
    }
  });
  return best;
}
