/**
 * Text → columns, streaming. Decoded text is gathered into ~1 MB chunks and handed to papaparse's
 * low-level Parser with `ignoreLastRow`, so an unfinished record at the end of a chunk (a quoted field
 * whose line break straddles the boundary included) is carried over and parsed again with the next
 * chunk. Each chunk's rows go straight into the column builders, column by column, and are dropped:
 * the whole file never exists as rows.
 *
 * Also here: the header (blank and duplicate names made unique), ragged and blank rows, quote errors,
 * and the data-row → file-line map that messages use.
 */
import Papa from 'papaparse';
import { ColumnBuilder, detach } from './column-builder.ts';
import { NO_DELIMITER, detectDelimiter, detectNewline, firstRecordEnd, type Newline } from './delimiter.ts';
import { IngestError, formatLines, type IngestNote } from './errors.ts';
import { parseNumberFast } from './tokens.ts';

/** Characters per parse call: big enough to amortise papaparse's per-call cost, small enough for the transient rows. */
export const CHUNK_CHARS = 1 << 16;
/** Characters looked at to detect the delimiter and line break. */
const DETECT_CHARS = 1 << 16;
/** One record longer than this is not a table row: a quote that never closes, or not a CSV at all. */
export const MAX_RECORD_CHARS = 64 << 20;
/** Lines listed in a note (the count covers the rest). */
const LINES_LISTED = 10;

export interface ReaderOptions {
  raggedRows: 'keep' | 'skip';
  /** Input size if known: the first chunk's bytes per row give the row count to reserve. */
  totalBytes?: number;
  notes: IngestNote[];
}

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
class LineTally {
  count = 0;
  readonly lines: number[] = [];
  add(line: number): void {
    this.count++;
    if (this.lines.length < LINES_LISTED) this.lines.push(line);
  }
}

interface PapaError {
  code: string;
  row: number;
}

export class CsvReader {
  /** The detected delimiter; NO_DELIMITER for a one-column file (see `reportedDelimiter`). */
  delimiter = ',';
  newline: Newline = '\n';
  names: string[] = [];
  builders: ColumnBuilder[] = [];
  /** Data rows stored. */
  rows = 0;
  readonly lineMap = new LineMap();
  /** Columns whose header cell was blank (their index), to drop them if they also hold no values. */
  readonly unnamed = new Set<number>();

  private parser: Papa.Parser | null = null;
  private pending: string[] = [];
  private pendingChars = 0;
  private remainder = '';
  private parseAt = CHUNK_CHARS;
  /** Line where the next record starts. */
  private line = 1;
  private headerLine = 0;
  private readonly ragged = new LineTally();
  private readonly blank = new LineTally();
  private readonly badQuotes = new LineTally();
  private trailingEmpty = 0;
  /** Blank lines seen since the last row: only blank lines followed by data are worth a note. */
  private blankRun: number[] = [];
  private seenText = false;

  constructor(private readonly opts: ReaderOptions) {}

  push(text: string): void {
    // Big pieces are parsed in CHUNK_CHARS slices: papaparse's rows for a slice die young.
    for (let at = 0; at < text.length; at += CHUNK_CHARS) {
      const piece = at === 0 && text.length <= CHUNK_CHARS ? text : text.slice(at, at + CHUNK_CHARS);
      this.pending.push(piece);
      this.pendingChars += piece.length;
      if (this.remainder.length + this.pendingChars >= this.parseAt) this.parse(false);
    }
  }

  /** The delimiter to tell the user: a one-column file is reported as comma-separated. */
  get reportedDelimiter(): string {
    return this.delimiter === NO_DELIMITER ? ',' : this.delimiter;
  }

  /** Parses what is left; throws 'empty' or 'no-rows' for a file without data. */
  end(): void {
    this.parse(true);
    if (!this.headerLine) {
      throw new IngestError('empty', this.seenText ? 'The file contains only blank lines: there is no header and no data.' : 'The file is empty.');
    }
    if (this.rows === 0) {
      const shown = this.names.slice(0, 5).map((n) => JSON.stringify(n)).join(', ');
      throw new IngestError(
        'no-rows',
        `The file has a header (${this.names.length} column${this.names.length === 1 ? '' : 's'}: ${shown}${this.names.length > 5 ? ', …' : ''}) but no data rows.`,
        { line: this.headerLine + 1 },
      );
    }
    this.writeNotes();
  }

  private parse(final: boolean): void {
    const input = this.remainder + (this.pending.length === 1 ? this.pending[0] : this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
    if (!this.parser) {
      if (!hasNonSpace(input)) {
        // Only whitespace so far: nothing to detect from yet.
        this.remainder = final ? '' : input;
        if (input.length) this.seenText = true;
        return;
      }
      this.seenText = true;
      // The header must be complete to detect from (a very wide file has a header longer than a chunk).
      const headerEnd = firstRecordEnd(input);
      if (headerEnd < 0 && !final) {
        this.remainder = input;
        if (input.length > MAX_RECORD_CHARS) throw this.recordTooLong();
        this.parseAt = 2 * input.length;
        return;
      }
      const sample = input.slice(0, Math.max(DETECT_CHARS, headerEnd + 2));
      this.newline = detectNewline(sample);
      this.delimiter = detectDelimiter(sample, final && input.length <= sample.length);
      this.parser = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline, quoteChar: '"' });
    }
    const result = this.parser.parse(input, 0, !final) as {
      data: string[][];
      errors: PapaError[];
      meta: { cursor: number };
    };
    const rows = result.data;
    const consumed = final ? input.length : result.meta.cursor;
    this.remainder = final ? '' : input.slice(consumed);
    if (!final && rows.length === 0) {
      // No complete record yet (a long quoted field): wait for twice as much text, so re-parsing stays linear.
      if (this.remainder.length > MAX_RECORD_CHARS) throw this.recordTooLong();
      this.parseAt = 2 * this.remainder.length;
      return;
    }
    this.parseAt = CHUNK_CHARS;
    this.consume(rows, result.errors, input, consumed, final);
  }

  private recordTooLong(): IngestError {
    const nl = this.newline === '\r' ? '\r' : '\n';
    return this.remainder.includes(nl)
      ? new IngestError(
          'unterminated-quote',
          `Line ${this.line}: a quoted field starts here and no closing quote (") follows for over 64 MB; fix or remove the stray quote.`,
          { line: this.line },
        )
      : new IngestError('line-too-long', `Line ${this.line} is longer than 64 MB without a line break: this does not look like a CSV table.`, {
          line: this.line,
        });
  }

  private consume(rows: string[][], errors: PapaError[], input: string, consumed: number, final: boolean): void {
    const nl = this.newline === '\r' ? '\r' : '\n';
    // Records spanning lines exist only if the chunk has quotes and more line breaks than
    // newline-terminated records (the quote check is one fast scan; most chunks stop there).
    const terminated = final ? rows.length - 1 : rows.length;
    const multiline = input.indexOf('"') !== -1 && countChar(input, nl, consumed) > terminated;
    const rowErrors = new Map<number, string>();
    for (const e of errors) if (e.row < rows.length && !rowErrors.has(e.row)) rowErrors.set(e.row, e.code);

    const stripCR = this.newline === '\n';
    const skip = this.opts.raggedRows === 'skip';
    const kept: string[][] = [];
    let line = this.line;
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k];
      const rowLine = line;
      const extraLines = multiline ? embeddedLineBreaks(row, nl) : 0;
      line += 1 + extraLines;
      const error = rowErrors.get(k);
      if (error === 'MissingQuotes') this.unterminated(row, rowLine, extraLines);
      else if (error) this.badQuotes.add(rowLine);

      if (row.length === 1 && (row[0].length === 0 || (this.names.length !== 1 && row[0].trim() === ''))) {
        this.blankRun.push(rowLine);
        continue;
      }
      if (!this.headerLine) {
        this.header(row, rowLine);
        this.blankRun = [];
        continue;
      }
      for (const b of this.blankRun) this.blank.add(b);
      this.blankRun = [];

      const n = this.names.length;
      if (row.length !== n) {
        if (row.length > n && allEmpty(row, n)) {
          row.length = n;
          this.trailingEmpty++;
        } else {
          this.ragged.add(rowLine);
          if (skip) continue;
          if (row.length < n) while (row.length < n) row.push('');
          else row.length = n;
        }
      }
      if (stripCR) {
        const last = row[n - 1];
        if (last.charCodeAt(last.length - 1) === 13) row[n - 1] = last.slice(0, -1);
      }
      this.lineMap.note(this.rows + kept.length, rowLine);
      kept.push(row);
    }
    this.line = line;
    if (kept.length === 0) return;
    if (this.rows === 0 && this.opts.totalBytes) this.reserveEstimate(consumed, kept.length);
    for (let j = 0; j < this.builders.length; j++) this.builders[j].append(kept, j, 0, kept.length);
    this.rows += kept.length;
  }

  /** Reserves the expected row count from the first chunk's characters per row, so arrays rarely grow. */
  private reserveEstimate(chars: number, rows: number): void {
    const total = this.opts.totalBytes!;
    if (chars >= total) return;
    const estimate = Math.ceil(((total / chars) * rows) * 1.05) + 64;
    for (const b of this.builders) b.reserve(estimate);
  }

  private header(row: string[], line: number): void {
    this.headerLine = line;
    const notes = this.opts.notes;
    // trim() also removes a stray '\r' left by mixed line endings; detach() keeps names (and every
    // message built from them) from pinning the chunk they were cut from.
    const raw = row.map((c) => detach(c.trim()));
    const used = new Set(raw.filter((r) => r !== ''));
    const seen = new Map<string, number>();
    const names = raw.map((name, j) => {
      if (name === '') {
        this.unnamed.add(j);
        let candidate = `column_${j + 1}`;
        for (let s = 2; used.has(candidate); s++) candidate = `column_${j + 1}_${s}`;
        used.add(candidate);
        notes.push({ kind: 'blank-header', column: candidate, message: `Column ${j + 1} has no name in the header (line ${line}); it is called "${candidate}".` });
        return candidate;
      }
      const times = (seen.get(name) ?? 0) + 1;
      seen.set(name, times);
      if (times === 1) return name;
      let candidate = `${name}_${times}`;
      for (let s = times + 1; used.has(candidate); s++) candidate = `${name}_${s}`;
      used.add(candidate);
      notes.push({
        kind: 'duplicate-header',
        column: candidate,
        message: `Column ${j + 1} repeats the name "${name}" (line ${line}); it is called "${candidate}".`,
      });
      return candidate;
    });
    if (names.length > 1 && raw.every((r) => r !== '' && parseNumberFast(r) === parseNumberFast(r))) {
      notes.push({
        kind: 'no-header',
        message: `The first line (${raw.slice(0, 4).join(', ')}${raw.length > 4 ? ', …' : ''}) looks like data, not column names: Sieve reads the first line as the header. Add a header line if the file has none.`,
        lines: [line],
      });
    }
    this.names = names;
    this.builders = names.map((name) => new ColumnBuilder(name, 1024));
  }

  /** A quoted field that never closes (papaparse reports it at the end of the input). */
  private unterminated(row: string[], line: number, swallowed: number): void {
    const column = this.names[row.length - 1] ?? `column ${row.length}`;
    if (swallowed >= 2 || !this.headerLine) {
      throw new IngestError(
        'unterminated-quote',
        `Line ${line}, column "${column}": a quoted field opens but never closes, so the rest of the file (${swallowed + 1} lines) would be one cell. Add the missing quote (") or remove the stray one.`,
        { line, column },
      );
    }
    this.opts.notes.push({
      kind: 'unterminated-quote',
      column,
      lines: [line],
      count: 1,
      message: `Line ${line}, column "${column}": the last quoted field has no closing quote; it was read up to the end of the file.`,
    });
  }

  private writeNotes(): void {
    const notes = this.opts.notes;
    const n = this.names.length;
    if (this.ragged.count) {
      notes.push({
        kind: 'ragged-rows',
        lines: this.ragged.lines,
        count: this.ragged.count,
        message:
          `${this.ragged.count} row(s) do not have ${n} cells like the header (${formatLines(this.ragged.lines, this.ragged.count)}): ` +
          (this.opts.raggedRows === 'skip' ? 'they were skipped.' : `missing cells were left empty and extra cells dropped.`),
      });
    }
    if (this.trailingEmpty) {
      notes.push({
        kind: 'trailing-delimiter',
        count: this.trailingEmpty,
        message: `${this.trailingEmpty} row(s) end with extra empty cells (a trailing delimiter); the empty cells were ignored.`,
      });
    }
    if (this.blank.count) {
      notes.push({
        kind: 'blank-lines',
        lines: this.blank.lines,
        count: this.blank.count,
        message: `${this.blank.count} blank line(s) between rows were skipped (${formatLines(this.blank.lines, this.blank.count)}).`,
      });
    }
    if (this.badQuotes.count) {
      notes.push({
        kind: 'malformed-quotes',
        lines: this.badQuotes.lines,
        count: this.badQuotes.count,
        message: `${this.badQuotes.count} row(s) have text after a closing quote (${formatLines(this.badQuotes.lines, this.badQuotes.count)}); their cells may be split oddly. Check the quoting.`,
      });
    }
  }
}

/**
 * Not a regex on purpose: RegExp keeps its last subject alive (V8's last-match info), and a chunk is a
 * slice of the whole input, so a regex here would pin the entire file's text in memory.
 */
function hasNonSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) return true;
  }
  return false;
}

function countChar(s: string, ch: string, end: number): number {
  let n = 0;
  let i = s.indexOf(ch);
  while (i !== -1 && i < end) {
    n++;
    i = s.indexOf(ch, i + 1);
  }
  return n;
}

function embeddedLineBreaks(row: string[], nl: string): number {
  let n = 0;
  for (const cell of row) if (cell.indexOf(nl) !== -1) n += countChar(cell, nl, cell.length);
  return n;
}

function allEmpty(row: string[], from: number): boolean {
  for (let j = from; j < row.length; j++) if (row[j].trim() !== '') return false;
  return true;
}
