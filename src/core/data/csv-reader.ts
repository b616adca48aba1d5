/**
 * Text → columns, streaming. Decoded text is gathered into ~1 MB chunks and handed to papaparse's
 * low-level Parser with `ignoreLastRow`, so an unfinished record at the end of a chunk (a quoted field
 * whose line break straddles the boundary included) is carried over and parsed again with the next
 * chunk. Each chunk's rows go straight into the column builders, column by column, and are dropped:
 * the whole file never exists as rows.
 *
 * Also here: the header (blank and duplicate names made unique), ragged and blank rows, quote errors,
 * and the data-row → file-line map that messages use; and the limits: NUL characters (anywhere, not
 * only in the first KiB that decode.ts sniffs), records over MAX_RECORD_CHARS, headers over MAX_COLUMNS.
 */
import Papa from 'papaparse';
import { ColumnBuilder, INITIAL_ROWS, detach } from './column-builder.ts';
import { NO_DELIMITER, detectDelimiter, detectNewline, fieldAt, firstRecordEnd, type Newline } from './delimiter.ts';
import { IngestError, formatLines, type IngestNote } from './errors.ts';
import { LineMap, LineTally, allBlankCells, allEmpty, countChar, describeChars, embeddedLineBreaks, firstTextLine, hasNonSpace, recordChars } from './csv-lines.ts';
import { PlainSplitter } from './plain-split.ts';
import { Reservoir, Strata, stratifiedCapacity, stratifiedSelection } from './reservoir.ts';
import { parseNumberFast } from './tokens.ts';
import { clipText, quoteName } from '../export/runtime/message-text.ts';

/** Characters per parse call: big enough to amortise papaparse's per-call cost, small enough for the transient rows. */
export const CHUNK_CHARS = 1 << 16;
/** Sample mode: a column's levels may reach this many times the sample before unused ones are dropped. */
const LEVEL_EXCESS = 4;
/** Characters looked at to detect the delimiter and line break. */
const DETECT_CHARS = 1 << 16;
/** One record longer than this is not a table row: a quote that never closes, or not a CSV at all. */
export const MAX_RECORD_CHARS = 64 << 20;
/**
 * Columns a header may have. Each column costs about 3 KB however few the rows (its builder, typed
 * arrays, profile and warnings: ~125 MB peak for 3 rows × 20,000 columns in Node, ~80 MB above an idle
 * process), a profile of 20,000 columns is ~5 MB of JSON and a page table of that many rows, and the
 * model search does per-feature work in every trial. Wider files are refused with the count.
 */
export const MAX_COLUMNS = 20_000;
const NUL_PROBLEM =
  'contains a NUL character (byte 0), which CSV text never holds: the file is binary, UTF-16 or damaged. Remove it, or save the data as CSV (UTF-8).';

export interface ReaderOptions {
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
  /**
   * Keep at most `maxRows` data rows: a seeded uniform reservoir sample (reservoir.ts) of the rows,
   * put back in file order at the end. Without it every row is kept. With `stratify` (a column name,
   * the target) the sample keeps each of that column's values in its share of the whole file
   * (reservoir.ts, stratified); a column with more than MAX_STRATA values is sampled uniformly.
   */
  sample?: { maxRows: number; seed: number; stratify?: string };
  /**
   * Hand the rows over in batches of about `rows` (csv-batches.ts): once that many are stored, the
   * builders go to `onBatch` and fresh ones take the next rows. Memory then stays at one batch.
   */
  batch?: { rows: number; onBatch: (builders: ColumnBuilder[], rows: number, lineOf: (row: number) => number) => void };
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
  lineMap = new LineMap();
  /** Batch mode: rows already handed over. */
  private flushed = 0;
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
  /** The row sample, when `sample` is set. */
  readonly reservoir: Reservoir | null;
  /** Stratified sample: the strata and the stratifying column's index (-1 until the header, or if absent). */
  readonly strata: Strata | null;
  private stratifyIndex = -1;
  /** Rows a sample keeps (0 without one); a stratified reservoir holds a margin more while reading. */
  private readonly sampleSize: number;
  private stratumOf = new Int32Array(0);

  constructor(private readonly opts: ReaderOptions) {
    this.maxRecordChars = opts.maxRecordChars ?? MAX_RECORD_CHARS;
    this.maxColumns = opts.maxColumns ?? MAX_COLUMNS;
    const sample = opts.sample;
    this.sampleSize = sample ? Math.max(1, Math.floor(sample.maxRows)) : 0;
    this.strata = sample?.stratify !== undefined ? new Strata() : null;
    this.reservoir = sample ? new Reservoir(this.strata ? stratifiedCapacity(this.sampleSize) : this.sampleSize, sample.seed) : null;
  }

  /** Data row (0-based, as stored) → its line in the file. */
  lineOf(row: number): number {
    return this.reservoir ? this.reservoir.lines[row] : this.lineMap.lineOf(row);
  }

  /** Whether rows were left out: the file had more data rows than the sample keeps. */
  get sampled(): boolean {
    return this.reservoir !== null && this.reservoir.seen > this.sampleSize;
  }

  /** Whether the sample kept each value of the stratifying column in its share of the file. */
  get stratified(): boolean {
    return this.sampled && this.strata !== null && !this.strata.overflow && this.stratifyIndex >= 0;
  }

  /** Data rows in the file (more than `rows` when a sample was kept, or batches were handed over). */
  get rowsRead(): number {
    return this.reservoir ? this.reservoir.seen : this.flushed + this.rows;
  }

  /** Batch mode: hands the stored rows to `onBatch` and starts fresh builders. */
  private flushBatch(): void {
    const batch = this.opts.batch!;
    const lineMap = this.lineMap;
    const offset = this.flushed;
    batch.onBatch(this.builders, this.rows, (row) => lineMap.lineOf(row));
    this.flushed = offset + this.rows;
    this.rows = 0;
    this.builders = this.names.map((name) => new ColumnBuilder(name));
    this.lineMap = new LineMap();
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
    this.writeNotes();
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
    if (nul !== -1) throw this.nulError(input, nul);
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
          throw this.recordTooLong(this.line + countChar(input, '\n', headerStart), multiline);
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
        if (columns > this.maxColumns) throw this.tooManyColumns(columns, line);
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
    if (this.remainder.length > limit) throw this.recordTooLong(this.line, this.remainder.includes(nl));
    this.parseAt = Math.min(2 * this.remainder.length, limit + 1);
  }

  /**
   * A chunk with no quote character, after the header: split into records at the line break and into
   * cells at the delimiter, as papaparse does for such input (String.split), with the same row rules
   * as `consume` (blank lines, ragged rows, trailing delimiters, a trailing \r, the line map). Cells
   * stay spans of `input` (no string per cell) and go to the builders column by column.
   */
  private splitPlain(input: string, final: boolean): void {
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
      if (checkLength && lineEnd - pos > this.maxRecordChars) throw this.recordTooLong(rowLine, false);
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
    const bytes = this.splitter.bytes;
    if (this.reservoir) {
      if (this.strata && this.stratifyIndex >= 0) {
        const stratumOf = this.stratumSlots(kept);
        const j = this.stratifyIndex;
        for (let k = 0; k < kept; k++) stratumOf[k] = this.strata.add(input.slice(starts[k * n + j], ends[k * n + j]).trim());
      }
      this.storeSample(kept, this.batchLines, (picked, m) => {
        // The picked rows' spans, moved to the front (in order, so no row is overwritten before it moves).
        for (let q = 0; q < m; q++) {
          const from = picked[q] * n;
          if (from !== q * n) {
            starts.copyWithin(q * n, from, from + n);
            ends.copyWithin(q * n, from, from + n);
          }
        }
        for (let j = 0; j < this.builders.length; j++) this.builders[j].appendSpans(input, bytes, starts, ends, n, j, 0, m);
      });
      this.batchLines = [];
      return;
    }
    if (this.opts.batch) {
      this.storeBatched(kept, this.batchLines, (from, to) => {
        for (let j = 0; j < this.builders.length; j++) this.builders[j].appendSpans(input, bytes, starts, ends, n, j, from, to);
      });
      this.batchLines = [];
      return;
    }
    for (let j = 0; j < this.builders.length; j++) this.builders[j].appendSpans(input, bytes, starts, ends, n, j, 0, kept);
    this.rows += kept;
  }

  private recordTooLong(line: number, multiline: boolean): IngestError {
    const limit = describeChars(this.maxRecordChars);
    return multiline
      ? new IngestError(
          'unterminated-quote',
          `Line ${line}: a quoted field starts here and no closing quote (") follows for over ${limit}; fix or remove the stray quote.`,
          { line },
        )
      : new IngestError('line-too-long', `Line ${line} is longer than ${limit} without a line break: this does not look like a CSV table.`, { line });
  }

  private tooManyColumns(columns: number, line: number): IngestError {
    const n = (v: number) => v.toLocaleString('en-US');
    return new IngestError(
      'too-many-columns',
      `The header (line ${line}) has ${n(columns)} columns; Sieve reads at most ${n(this.maxColumns)}. Keep the columns you need in a narrower file.`,
      { line },
    );
  }

  /**
   * A NUL character at `at` of `input` (which starts at a record boundary, on line this.line): the
   * error names its line and column. Only runs to build the error, so it may re-scan the input.
   */
  private nulError(input: string, at: number): IngestError {
    const newline = this.parser ? this.newline : detectNewline(input.slice(0, DETECT_CHARS));
    const line = this.line + countChar(input, newline === '\r' ? '\r' : '\n', at);
    const delimiter = this.parser ? this.delimiter : detectDelimiter(input.slice(0, DETECT_CHARS), false);
    const field = delimiter === NO_DELIMITER ? 0 : fieldAt(input, at, delimiter);
    let names = this.names;
    if (!this.headerLine) {
      // The header is in this input too (the first line with text): in it, or its names are needed.
      const start = firstTextLine(input);
      const end = firstRecordEnd(input, start);
      if (end < 0 || end > at) return new IngestError('binary', `Line ${line} (the header) ${NUL_PROBLEM}`, { line });
      const parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
      names = ((parser.parse(input.slice(start, end), 0, false) as { data: string[][] }).data[0] ?? []).map((c) => c.trim());
    }
    const name = names[field] || undefined;
    return new IngestError(
      'binary',
      `Line ${line}, column ${field + 1}${name === undefined ? '' : ` (${quoteName(name)})`} ${NUL_PROBLEM}`,
      { line, column: name === undefined ? undefined : clipText(name) },
    );
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
      if (checkLength && recordChars(row, this.delimiter) > this.maxRecordChars) throw this.recordTooLong(rowLine, extraLines > 0);
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
      if (this.reservoir || this.opts.batch) keptLines.push(rowLine);
      else this.lineMap.note(this.rows + kept.length, rowLine);
      kept.push(row);
    }
    this.line = line;
    if (kept.length === 0) return;
    if (this.rows === 0 && this.opts.totalBytes) this.reserveEstimate(consumed, kept.length);
    if (this.reservoir) {
      if (this.strata && this.stratifyIndex >= 0) {
        const stratumOf = this.stratumSlots(kept.length);
        const j = this.stratifyIndex;
        for (let k = 0; k < kept.length; k++) stratumOf[k] = this.strata.add(kept[k][j].trim());
      }
      this.storeSample(kept.length, keptLines, (picked, m) => {
        const rows = Array.from({ length: m }, (_, q) => kept[picked[q]]);
        for (let j = 0; j < this.builders.length; j++) this.builders[j].append(rows, j, 0, m);
      });
      return;
    }
    if (this.opts.batch) {
      this.storeBatched(kept.length, keptLines, (from, to) => {
        for (let j = 0; j < this.builders.length; j++) this.builders[j].append(kept, j, from, to);
      });
      return;
    }
    for (let j = 0; j < this.builders.length; j++) this.builders[j].append(kept, j, 0, kept.length);
    this.rows += kept.length;
  }

  /** Batch mode: stores `count` rows (file lines `lines`) in pieces, handing over each full batch. */
  private storeBatched(count: number, lines: ArrayLike<number>, append: (from: number, to: number) => void): void {
    const size = this.opts.batch!.rows;
    for (let from = 0; from < count; ) {
      const to = Math.min(count, from + (size - this.rows));
      for (let r = from; r < to; r++) this.lineMap.note(this.rows + r - from, lines[r]);
      append(from, to);
      this.rows += to - from;
      from = to;
      if (this.rows >= size) this.flushBatch();
    }
  }

  /**
   * Sample mode: of `count` rows of a batch (file lines `lines`), the reservoir picks some; `append`
   * stores the picked ones behind the stored rows, and each is then moved into its slot.
   */
  private storeSample(count: number, lines: ArrayLike<number>, append: (picked: Int32Array, m: number) => void): void {
    const res = this.reservoir!;
    const first = res.seen;
    const m = res.pick(count);
    if (m === 0) return;
    const base = this.rows;
    res.ensure(base + m);
    append(res.picked, m);
    for (let q = 0; q < m; q++) {
      const pos = base + q;
      const slot = res.slots[q];
      res.lines[slot] = lines[res.picked[q]];
      res.order[slot] = first + res.picked[q];
      if (this.strata) res.strata[slot] = this.stratumOf[res.picked[q]];
      if (slot !== pos) for (const b of this.builders) b.moveRow(pos, slot);
    }
    this.rows = Math.min(res.capacity, base + m);
    for (const b of this.builders) {
      b.truncate(this.rows);
      // Levels of rows that left the sample (a sample of k from n rows stores about k·(1 + ln(n/k)) rows
      // in all): dropped once they are LEVEL_EXCESS times the sample, so memory stays bounded.
      if (b.levels.length > LEVEL_EXCESS * res.capacity) b.compactLevels();
    }
  }

  /** Room for the strata of a batch of `rows` rows. */
  private stratumSlots(rows: number): Int32Array {
    if (this.stratumOf.length < rows) this.stratumOf = new Int32Array(Math.max(rows, 2 * this.stratumOf.length));
    return this.stratumOf;
  }

  /**
   * The sample back in file order, its counts recomputed (rows replaced or dropped changed them). A
   * stratified reservoir holds a margin of rows beyond the sample: here it keeps each stratum's share
   * (uniformly, if stratifying was given up).
   */
  private finishSample(): void {
    const res = this.reservoir!;
    const size = this.sampleSize;
    if (!this.sampled) return;
    let keep: Int32Array | null = null;
    if (this.rows > size) {
      const seed = this.opts.sample!.seed + 1;
      keep = this.stratified
        ? stratifiedSelection(res.strata, this.rows, this.strata!.counts, size, seed)
        : stratifiedSelection(new Int32Array(this.rows), this.rows, [this.rows], size, seed);
    }
    let perm = res.fileOrder(this.rows);
    if (keep) {
      const kept = new Uint8Array(this.rows);
      for (const p of keep) kept[p] = 1;
      perm = perm.filter((p) => kept[p] === 1);
    }
    for (const b of this.builders) {
      b.permute(perm);
      b.recount();
    }
    res.lines = Int32Array.from(perm, (p) => res.lines[p]);
    res.order = Float64Array.from(perm, (p) => res.order[p]);
    this.rows = perm.length;
  }

  /** Reserves the expected row count from the first chunk's characters per row, so arrays rarely grow. */
  private reserveEstimate(chars: number, rows: number): void {
    const total = this.opts.totalBytes!;
    if (chars >= total) return;
    // Small slack: it is paid once per column, and a wide file has many columns.
    let estimate = Math.ceil(((total / chars) * rows) * 1.05) + INITIAL_ROWS;
    // A sample holds its capacity plus one batch appended behind it.
    if (this.reservoir) estimate = Math.min(estimate, this.reservoir.capacity + Math.max(rows, CHUNK_CHARS));
    if (this.opts.batch) estimate = Math.min(estimate, this.opts.batch.rows + Math.max(rows, CHUNK_CHARS));
    for (const b of this.builders) b.reserve(estimate);
  }

  private header(row: string[], line: number): void {
    if (row.length > this.maxColumns) throw this.tooManyColumns(row.length, line);
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
        message: `Column ${j + 1} repeats the name ${quoteName(name)} (line ${line}); it is called ${quoteName(candidate)}.`,
      });
      return candidate;
    });
    if (names.length > 1 && raw.every((r) => r !== '' && parseNumberFast(r) === parseNumberFast(r))) {
      notes.push({
        kind: 'no-header',
        message: `The first line (${raw.slice(0, 4).map((r) => clipText(r)).join(', ')}${raw.length > 4 ? ', …' : ''}) looks like data, not column names: Sieve reads the first line as the header. Add a header line if the file has none.`,
        lines: [line],
      });
    }
    this.names = names;
    if (this.strata) this.stratifyIndex = names.indexOf(this.opts.sample!.stratify!);
    this.builders = names.map((name) => new ColumnBuilder(name));
  }

  /** A quoted field that never closes (papaparse reports it at the end of the input). */
  private unterminated(row: string[], line: number, swallowed: number): void {
    const column = this.names[row.length - 1] ?? `column ${row.length}`;
    if (swallowed >= 2 || !this.headerLine) {
      throw new IngestError(
        'unterminated-quote',
        `Line ${line}, column ${quoteName(column)}: a quoted field opens but never closes, so the rest of the file (${swallowed + 1} lines) would be one cell. Add the missing quote (") or remove the stray one.`,
        { line, column: clipText(column) },
      );
    }
    this.opts.notes.push({
      kind: 'unterminated-quote',
      column,
      lines: [line],
      count: 1,
      message: `Line ${line}, column ${quoteName(column)}: the last quoted field has no closing quote; it was read up to the end of the file.`,
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
