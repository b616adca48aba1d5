/**
 * What the CSV reader (csv-reader.ts) tells the user: the header's names (blank and duplicate ones
 * made unique, with a note each, and a note when the first line looks like data), the notes on odd
 * rows gathered while reading, and the errors that stop a read (an unclosed quote, a record over the
 * length limit, a header over the column limit, a NUL character). All run once per file or on the
 * way out with an error, never per row.
 */
import Papa from 'papaparse';
import { detach } from './column-storage.ts';
import { NO_DELIMITER, detectDelimiter, detectNewline, fieldAt, firstRecordEnd, type Newline } from './delimiter.ts';
import { IngestError, formatLines, type IngestNote } from './errors.ts';
import { countChar, describeChars, firstTextLine, type LineTally } from './csv-lines.ts';
import { parseNumberFast } from './tokens.ts';
import { clipText, quoteName } from '../export/runtime/message-text.ts';

/** Characters looked at to detect the delimiter and line break. */
export const DETECT_CHARS = 1 << 16;
const NUL_PROBLEM =
  'contains a NUL character (byte 0), which CSV text never holds: the file is binary, UTF-16 or damaged. Remove it, or save the data as CSV (UTF-8).';

/** The odd rows a read counts, for the notes. */
export interface RowTallies {
  readonly ragged: LineTally;
  readonly blank: LineTally;
  readonly badQuotes: LineTally;
  trailingEmpty: number;
}

/**
 * The column names of header `row` (on file line `line`): trimmed, blank ones called column_<j>
 * (their index added to `unnamed`) and repeated ones numbered, each with a note.
 */
export function headerNames(row: string[], line: number, notes: IngestNote[], unnamed: Set<number>): string[] {
  // trim() also removes a stray '\r' left by mixed line endings; detach() keeps names (and every
  // message built from them) from pinning the chunk they were cut from.
  const raw = row.map((c) => detach(c.trim()));
  const used = new Set(raw.filter((r) => r !== ''));
  const seen = new Map<string, number>();
  const names = raw.map((name, j) => {
    if (name === '') {
      unnamed.add(j);
      let candidate = `column_${j + 1}`;
      for (let s = 2; used.has(candidate); s++) candidate = `column_${j + 1}_${s}`;
      used.add(candidate);
      notes.push({
        kind: 'blank-header',
        column: candidate,
        message: `Column ${j + 1} has no name in the header (line ${line}); it is called "${candidate}".`,
      });
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
      message: `The first line (${raw
        .slice(0, 4)
        .map((r) => clipText(r))
        .join(
          ', ',
        )}${raw.length > 4 ? ', …' : ''}) looks like data, not column names: Sieve reads the first line as the header. Add a header line if the file has none.`,
      lines: [line],
    });
  }
  return names;
}

/**
 * A quoted field that never closes (papaparse reports it at the end of the input): an error if it
 * swallowed two lines or more, or the header, else a note.
 */
export function unterminatedQuote(names: string[], headerLine: number, row: string[], line: number, swallowed: number, notes: IngestNote[]): void {
  const column = names[row.length - 1] ?? `column ${row.length}`;
  if (swallowed >= 2 || !headerLine) {
    throw new IngestError(
      'unterminated-quote',
      `Line ${line}, column ${quoteName(column)}: a quoted field opens but never closes, so the rest of the file (${swallowed + 1} lines) would be one cell. Add the missing quote (") or remove the stray one.`,
      { line, column: clipText(column) },
    );
  }
  notes.push({
    kind: 'unterminated-quote',
    column,
    lines: [line],
    count: 1,
    message: `Line ${line}, column ${quoteName(column)}: the last quoted field has no closing quote; it was read up to the end of the file.`,
  });
}

/** The notes on the odd rows of a read with `n` columns. */
export function rowNotes(notes: IngestNote[], n: number, raggedRows: 'keep' | 'skip', t: RowTallies): void {
  if (t.ragged.count) {
    notes.push({
      kind: 'ragged-rows',
      lines: t.ragged.lines,
      count: t.ragged.count,
      message:
        `${t.ragged.count} row(s) do not have ${n} cells like the header (${formatLines(t.ragged.lines, t.ragged.count)}): ` +
        (raggedRows === 'skip' ? 'they were skipped.' : `missing cells were left empty and extra cells dropped.`),
    });
  }
  if (t.trailingEmpty) {
    notes.push({
      kind: 'trailing-delimiter',
      count: t.trailingEmpty,
      message: `${t.trailingEmpty} row(s) end with extra empty cells (a trailing delimiter); the empty cells were ignored.`,
    });
  }
  if (t.blank.count) {
    notes.push({
      kind: 'blank-lines',
      lines: t.blank.lines,
      count: t.blank.count,
      message: `${t.blank.count} blank line(s) between rows were skipped (${formatLines(t.blank.lines, t.blank.count)}).`,
    });
  }
  if (t.badQuotes.count) {
    notes.push({
      kind: 'malformed-quotes',
      lines: t.badQuotes.lines,
      count: t.badQuotes.count,
      message: `${t.badQuotes.count} row(s) have text after a closing quote (${formatLines(t.badQuotes.lines, t.badQuotes.count)}); their cells may be split oddly. Check the quoting.`,
    });
  }
}

/** A record longer than `maxRecordChars`: an unclosed quote if it spans lines, else not a CSV table. */
export function recordTooLong(line: number, multiline: boolean, maxRecordChars: number): IngestError {
  const limit = describeChars(maxRecordChars);
  return multiline
    ? new IngestError(
        'unterminated-quote',
        `Line ${line}: a quoted field starts here and no closing quote (") follows for over ${limit}; fix or remove the stray quote.`,
        { line },
      )
    : new IngestError('line-too-long', `Line ${line} is longer than ${limit} without a line break: this does not look like a CSV table.`, { line });
}

export function tooManyColumns(columns: number, line: number, maxColumns: number): IngestError {
  const n = (v: number) => v.toLocaleString('en-US');
  return new IngestError(
    'too-many-columns',
    `The header (line ${line}) has ${n(columns)} columns; Sieve reads at most ${n(maxColumns)}. Keep the columns you need in a narrower file.`,
    { line },
  );
}

/** What the reader knows when it meets a NUL: the format once detected (`detected`), and the header once read. */
export interface NulContext {
  detected: boolean;
  /** Line where `input` starts. */
  line: number;
  newline: Newline;
  delimiter: string;
  names: string[];
  headerLine: number;
}

/**
 * A NUL character at `at` of `input` (which starts at a record boundary, on line `ctx.line`): the
 * error names its line and column. Only runs to build the error, so it may re-scan the input.
 */
export function nulError(input: string, at: number, ctx: NulContext): IngestError {
  const newline = ctx.detected ? ctx.newline : detectNewline(input.slice(0, DETECT_CHARS));
  const line = ctx.line + countChar(input, newline === '\r' ? '\r' : '\n', at);
  const delimiter = ctx.detected ? ctx.delimiter : detectDelimiter(input.slice(0, DETECT_CHARS), false);
  const field = delimiter === NO_DELIMITER ? 0 : fieldAt(input, at, delimiter);
  let names = ctx.names;
  if (!ctx.headerLine) {
    // The header is in this input too (the first line with text): in it, or its names are needed.
    const start = firstTextLine(input);
    const end = firstRecordEnd(input, start);
    if (end < 0 || end > at) return new IngestError('binary', `Line ${line} (the header) ${NUL_PROBLEM}`, { line });
    const parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
    names = ((parser.parse(input.slice(start, end), 0, false) as { data: string[][] }).data[0] ?? []).map((c) => c.trim());
  }
  const name = names[field] || undefined;
  return new IngestError('binary', `Line ${line}, column ${field + 1}${name === undefined ? '' : ` (${quoteName(name)})`} ${NUL_PROBLEM}`, {
    line,
    column: name === undefined ? undefined : clipText(name),
  });
}
