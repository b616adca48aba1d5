/**
 * Text → columns, streaming. Decoded text is gathered into ~1 MB chunks and handed to papaparse's
 * low-level Parser with `ignoreLastRow`, so an unfinished record at the end of a chunk (a quoted field
 * whose line break straddles the boundary included) is carried over and parsed again with the next
 * chunk. Each chunk's rows go straight into the column builders, column by column, and are dropped:
 * the whole file never exists as rows.
 *
 * Owns the chunking, the delimiter and line-break detection, the two ways a chunk is split (papaparse,
 * or splitPlain for a chunk without quotes) and the row rules both apply: ragged and blank rows, quote
 * errors, the file line of each row; and the limits: NUL characters (anywhere, not only in the first
 * KiB that decode.ts sniffs), records over MAX_RECORD_CHARS, headers over MAX_COLUMNS. Where the kept
 * rows go (all, a sample, batches) is csv-store.ts; the header's names, the notes and the errors'
 * wording are csv-messages.ts.
 */
import Papa from 'papaparse';
import { ColumnBuilder } from './column-builder.ts';
import { INITIAL_ROWS } from './column-storage.ts';
import { NO_DELIMITER, detectDelimiter, detectNewline, fieldAt, firstRecordEnd, type Newline } from './delimiter.ts';
import { IngestError, type IngestNote } from './errors.ts';
import { LineTally, allBlankCells, allEmpty, countChar, embeddedLineBreaks, firstTextLine, hasNonSpace, recordChars } from './csv-lines.ts';
import { DETECT_CHARS, headerNames, nulError, recordTooLong, rowNotes, tooManyColumns, unterminatedQuote } from './csv-messages.ts';
import { RowStore, type StoreOptions } from './csv-store.ts';
import { PlainSplitter } from './plain-split.ts';
import { quoteName } from '../export/runtime/message-text.ts';

/** Characters per parse call: big enough to amortise papaparse's per-call cost, small enough for the transient rows. */
export const CHUNK_CHARS = 1 << 16;
/** One record longer than this is not a table row: a quote that never closes, or not a CSV at all. */
export const MAX_RECORD_CHARS = 64 << 20;
/**
 * Columns a header may have. Each column costs about 3 KB however few the rows (its builder, typed
 * arrays, profile and warnings: ~125 MB peak for 3 rows × 20,000 columns in Node, ~80 MB above an idle
 * process), a profile of 20,000 columns is ~5 MB of JSON and a page table of that many rows, and the
 * model search does per-feature work in every trial. Wider files are refused with the count.
 */
export const MAX_COLUMNS = 20_000;

export interface ReaderOptions extends StoreOptions {
  raggedRows: 'keep' | 'skip';
  /** Input size if known: the first chunk's bytes per row give the row count to reserve. */
  totalBytes?: number;
  notes: IngestNote[];
  /** Longest record accepted, in characters (cells and delimiters). Default MAX_RECORD_CHARS; tests set less. */
  maxRecordChars?: number;
  /** Most columns accepted. Default MAX_COLUMNS. */
  maxColumns?: number;
  /**
   * Chunks without a quote character are split here (splitPlain) rather than by papaparse, which
   * splits such chunks the same way (String.split on the line break, then the delimiter). Default
   * true; false sends every chunk through papaparse, which tests compare against.
   */
  plainSplit?: boolean;
}

interface PapaError {
  code: string;
  row: number;
}

export class CsvReader extends RowStore {
  /** The detected delimiter; NO_DELIMITER for a one-column file (see `reportedDelimiter`). */
  delimiter = ',';
  newline: Newline = '\n';
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
  private readonly maxRecordChars: number;
  private readonly maxColumns: number;
  /** Cell spans of the chunk being split by splitPlain (row-major, names.length per row); grown as needed. */
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  private readonly splitter = new PlainSplitter();
  /** Sample mode: the file line of each row of the batch being split. */
  private batchLines: number[] = [];

  constructor(private readonly opts: ReaderOptions) {
    super(opts);
    this.maxRecordChars = opts.maxRecordChars ?? MAX_RECORD_CHARS;
    this.maxColumns = opts.maxColumns ?? MAX_COLUMNS;
  }

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
    if (this.reservoir) this.finishSample();
    if (this.rowsRead === 0) {
      const shown = this.names.slice(0, 5).map(quoteName).join(', ');
      throw new IngestError(
        'no-rows',
        `The file has a header (${this.names.length} column${this.names.length === 1 ? '' : 's'}: ${shown}${this.names.length > 5 ? ', …' : ''}) but no data rows.`,
        { line: this.headerLine + 1 },
      );
    }
    const tallies = { ragged: this.ragged, blank: this.blank, badQuotes: this.badQuotes, trailingEmpty: this.trailingEmpty };
    rowNotes(this.opts.notes, this.names.length, this.opts.raggedRows, tallies);
    if (this.opts.batch && this.rows > 0) this.flushBatch();
  }

  private parse(final: boolean): void {
    // One join makes a flat string (a `+` would make a cons string, slower to index into).
    if (this.remainder) this.pending.unshift(this.remainder);
    const input = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    // One scan per parse (V8's indexOf is a memchr): a NUL would otherwise split a one-column file's
    // cell (NO_DELIMITER) or ride along inside a cell, with no more than a "ragged rows" note.
    const nul = input.indexOf('\u0000');
    if (nul !== -1)
      throw nulError(input, nul, {
        detected: this.parser !== null,
        line: this.line,
        newline: this.newline,
        delimiter: this.delimiter,
        names: this.names,
        headerLine: this.headerLine,
      });
    const limit = this.maxRecordChars;
    if (!this.parser) {
      if (!hasNonSpace(input)) {
        // Only whitespace so far: nothing to detect from yet.
        this.remainder = final ? '' : input;
        if (input.length) this.seenText = true;
        return;
      }
      this.seenText = true;
      // The header must be complete to detect from (a very wide file has a header longer than a chunk).
      // Blank lines before it are skipped: they would end the "first record" at once.
      const headerStart = firstTextLine(input);
      const headerEnd = firstRecordEnd(input, headerStart);
      if (headerEnd < 0 && !final) {
        this.remainder = input;
        if (input.length - headerStart > limit) {
          // Line breaks after the header's start are inside quotes: a quote that never closes.
          const multiline = input.indexOf('\n', headerStart) !== -1 || input.indexOf('\r', headerStart) !== -1;
          throw recordTooLong(this.line + countChar(input, '\n', headerStart), multiline, limit);
        }
        this.parseAt = Math.min(2 * input.length, headerStart + limit + 1);
        return;
      }
      const sample = input.slice(0, Math.max(DETECT_CHARS, headerEnd + 2));
      this.newline = detectNewline(sample);
      this.delimiter = detectDelimiter(sample, final && input.length <= sample.length);
      // Too wide: refused before papaparse splits every row of the chunk into that many strings.
      if (this.delimiter !== NO_DELIMITER) {
        const columns = fieldAt(input, headerEnd < 0 ? input.length : headerEnd, this.delimiter) + 1;
        const line = this.line + countChar(input, this.newline === '\r' ? '\r' : '\n', headerStart);
        if (columns > this.maxColumns) throw tooManyColumns(columns, line, this.maxColumns);
      }
      this.parser = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline, quoteChar: '"' });
    }
    if (this.headerLine && this.opts.plainSplit !== false && input.indexOf('"') === -1) {
      this.splitPlain(input, final);
      return;
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
      this.awaitRecord();
      return;
    }
    this.parseAt = CHUNK_CHARS;
    this.consume(rows, result.errors, input, consumed, final);
  }

  /**
   * No complete record yet (a long field): wait for twice as much text, so re-parsing stays linear,
   * but parse again as soon as the record is over the limit, so the limit is exact.
   */
  private awaitRecord(): void {
    const limit = this.maxRecordChars;
    const nl = this.newline === '\r' ? '\r' : '\n';
    if (this.remainder.length > limit) throw recordTooLong(this.line, this.remainder.includes(nl), limit);
    this.parseAt = Math.min(2 * this.remainder.length, limit + 1);
  }

  /**
   * A chunk with no quote character, after the header: split into records at the line break and into
   * cells at the delimiter, as papaparse does for such input (String.split), with the same row rules
   * as `consume` (blank lines, ragged rows, trailing delimiters, a trailing \r, the line map). Cells
   * stay spans of `input` (no string per cell) and go to the builders column by column.
   */
  private splitPlain(input: string, final: boolean): void {
    // The ingest hot loop (every record of a chunk without quotes): it stays whole, its state in locals,
    // so that nothing is called per record or per cell.
    const nl = this.newline;
    const nlLen = nl.length;
    // Records end at line breaks; without `final`, text after the last one waits for the next chunk.
    const stop = final ? input.length : input.lastIndexOf(nl);
    if (stop < 0) {
      this.remainder = input;
      this.awaitRecord();
      return;
    }
    const consumed = final ? input.length : stop + nlLen;
    this.remainder = final ? '' : input.slice(consumed);
    this.parseAt = CHUNK_CHARS;
    if (input.length === 0) return;

    const count = this.splitter.scan(input, stop, this.delimiter, nl);
    const marks = this.splitter.marks;
    const n = this.names.length;
    const stripCR = nl === '\n';
    const skip = this.opts.raggedRows === 'skip';
    const checkLength = input.length > this.maxRecordChars;
    let starts = this.starts;
    let ends = this.ends;
    let kept = 0;
    let line = this.line;
    let pos = 0;
    let m = 0;
    while (m < count) {
      const base = kept * n;
      if (base + n > starts.length) {
        const size = Math.max(2 * starts.length, base + n, 256 * n);
        const s2 = new Int32Array(size);
        s2.set(starts);
        const e2 = new Int32Array(size);
        e2.set(ends);
        starts = this.starts = s2;
        ends = this.ends = e2;
      }
      // One record: its delimiter marks give the cell spans (the first n cells), up to its line-end mark.
      let f = 0;
      let extraFrom = -1;
      starts[base] = pos;
      let mark = marks[m++];
      while (mark >= 0) {
        if (f < n) ends[base + f] = mark;
        f++;
        if (f < n) starts[base + f] = mark + 1;
        else if (f === n) extraFrom = mark + 1;
        mark = marks[m++];
      }
      const lineEnd = ~mark;
      const fields = f + 1;
      if (f < n) ends[base + f] = lineEnd;
      const rowLine = line++;
      if (checkLength && lineEnd - pos > this.maxRecordChars) throw recordTooLong(rowLine, false, this.maxRecordChars);
      let keep = true;
      if (fields === 1 && (lineEnd === pos || (n !== 1 && input.slice(pos, lineEnd).trim() === ''))) {
        this.blankRun.push(rowLine);
        keep = false;
      } else {
        for (const b of this.blankRun) this.blank.add(b);
        this.blankRun = [];
        if (fields !== n) {
          if (fields > n && allBlankCells(input.slice(extraFrom, lineEnd), this.delimiter)) this.trailingEmpty++;
          else {
            this.ragged.add(rowLine);
            if (skip) keep = false;
            else for (let g = fields; g < n; g++) starts[base + g] = ends[base + g] = 0;
          }
        }
      }
      if (keep) {
        const last = base + n - 1;
        if (stripCR && ends[last] > starts[last] && input.charCodeAt(ends[last] - 1) === 13) ends[last]--;
        if (this.reservoir || this.opts.batch) this.batchLines.push(rowLine);
        else this.lineMap.note(this.rows + kept, rowLine);
        kept++;
      }
      pos = lineEnd + nlLen;
    }
    this.line = line;
    if (kept === 0) return;
    if (this.rows === 0 && this.opts.totalBytes) this.reserveEstimate(consumed, kept);
    this.storeSpans(input, this.splitter.bytes, this.starts, this.ends, kept, this.batchLines);
    if (this.batchLines.length) this.batchLines = [];
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
    // Only a chunk longer than the limit can hold a record longer than the limit.
    const checkLength = input.length > this.maxRecordChars;
    const kept: string[][] = [];
    const keptLines: number[] = [];
    let line = this.line;
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k];
      const rowLine = line;
      const extraLines = multiline ? embeddedLineBreaks(row, nl) : 0;
      line += 1 + extraLines;
      if (checkLength && recordChars(row, this.delimiter) > this.maxRecordChars) throw recordTooLong(rowLine, extraLines > 0, this.maxRecordChars);
      const error = rowErrors.get(k);
      if (error === 'MissingQuotes') unterminatedQuote(this.names, this.headerLine, row, rowLine, extraLines, this.opts.notes);
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
      if (this.reservoir || this.opts.batch) keptLines.push(rowLine);
      else this.lineMap.note(this.rows + kept.length, rowLine);
      kept.push(row);
    }
    this.line = line;
    if (kept.length === 0) return;
    if (this.rows === 0 && this.opts.totalBytes) this.reserveEstimate(consumed, kept.length);
    this.storeRows(kept, keptLines);
  }

  /** Reserves the expected row count from the first chunk's characters per row, so arrays rarely grow. */
  private reserveEstimate(chars: number, rows: number): void {
    const total = this.opts.totalBytes!;
    if (chars >= total) return;
    // Small slack: it is paid once per column, and a wide file has many columns.
    let estimate = Math.ceil((total / chars) * rows * 1.05) + INITIAL_ROWS;
    // A sample holds its capacity plus one batch appended behind it.
    if (this.reservoir) estimate = Math.min(estimate, this.reservoir.capacity + Math.max(rows, CHUNK_CHARS));
    if (this.opts.batch) estimate = Math.min(estimate, this.opts.batch.rows + Math.max(rows, CHUNK_CHARS));
    for (const b of this.builders) b.reserve(estimate);
  }

  private header(row: string[], line: number): void {
    if (row.length > this.maxColumns) throw tooManyColumns(row.length, line, this.maxColumns);
    this.headerLine = line;
    const names = headerNames(row, line, this.opts.notes, this.unnamed);
    this.names = names;
    if (this.strata) this.stratifyIndex = names.indexOf(this.opts.sample!.stratify!);
    this.builders = names.map((name) => new ColumnBuilder(name));
  }
}
