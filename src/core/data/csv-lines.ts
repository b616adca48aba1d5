/**
 * The CSV reader's bookkeeping (csv-reader.ts): which file line each data row came from, tallies of
 * odd lines for the notes, and the small text scans it needs (no regexes: see hasNonSpace).
 */
import { isSpace } from './tokens.ts';

/** Lines listed in a note (the count covers the rest). */
export const LINES_LISTED = 10;

/** Data row (0-based) → line in the file (1-based), stored only where the offset between them changes. */
export class LineMap {
  private readonly rows: number[] = [];
  private readonly lines: number[] = [];

  note(row: number, line: number): void {
    const n = this.rows.length;
    if (n === 0 || line - row !== this.lines[n - 1] - this.rows[n - 1]) {
      this.rows.push(row);
      this.lines.push(line);
    }
  }

  lineOf(row: number): number {
    let lo = 0;
    let hi = this.rows.length - 1;
    if (hi < 0) return row + 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.rows[mid] <= row) lo = mid;
      else hi = mid - 1;
    }
    return this.lines[lo] + (row - this.rows[lo]);
  }
}

/** Counts lines with a few interesting ones listed. */
export class LineTally {
  count = 0;
  readonly lines: number[] = [];
  add(line: number): void {
    this.count++;
    if (this.lines.length < LINES_LISTED) this.lines.push(line);
  }
}

/**
 * Not a regex on purpose: RegExp keeps its last subject alive (V8's last-match info), and a chunk is a
 * slice of the whole input, so a regex here would pin the entire file's text in memory.
 */
export function hasNonSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) return true;
  }
  return false;
}

/** Start of the first line holding more than spaces (0 when there is none). */
export function firstTextLine(s: string): number {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  if (i === s.length) return 0;
  return Math.max(s.lastIndexOf('\n', i), s.lastIndexOf('\r', i)) + 1;
}

export function countChar(s: string, ch: string, end: number): number {
  let n = 0;
  let i = s.indexOf(ch);
  while (i !== -1 && i < end) {
    n++;
    i = s.indexOf(ch, i + 1);
  }
  return n;
}

export function embeddedLineBreaks(row: string[], nl: string): number {
  let n = 0;
  for (const cell of row) if (cell.indexOf(nl) !== -1) n += countChar(cell, nl, cell.length);
  return n;
}

/** A parsed record's length: its cells and the delimiters between them (quotes not counted). */
export function recordChars(row: string[], delimiter: string): number {
  let n = (row.length - 1) * delimiter.length;
  for (const cell of row) n += cell.length;
  return n;
}

/** "64 MB" for whole mebi-characters, else the count: limits in messages. */
export function describeChars(n: number): string {
  return n % (1 << 20) === 0 ? `${n >> 20} MB` : `${n.toLocaleString('en-US')} characters`;
}

/** Cells (the text after the header's last cell, split at the delimiter) that are all blank. */
export function allBlankCells(text: string, delimiter: string): boolean {
  return allEmpty(text.split(delimiter), 0);
}

export function allEmpty(row: string[], from: number): boolean {
  for (let j = from; j < row.length; j++) if (row[j].trim() !== '') return false;
  return true;
}
