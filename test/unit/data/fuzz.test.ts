/**
 * Property tests for CSV ingest (fast-check, seeded, a fixed number of cases each, bounded in time).
 *
 * 1. Round trip: a random table (quotes, embedded line breaks, every candidate delimiter inside fields,
 *    unicode, empty and whitespace cells, missing-value tokens, numeric-looking strings, booleans and
 *    dates, a NUL in one table of ten, some tables repeated past 100 KB) is written as CSV (random delimiter, \n / \r\n / \r, optional BOM, optional final line break,
 *    random extra quoting) and read back through the real ingest in random byte chunks. The result has
 *    the table's shape and names, and each cell decodes to what was written — allowing for what type
 *    inference does by design: values trimmed, missing tokens read as missing, numeric-looking strings
 *    read as numbers (also in a categorical column, where 1.50 shows as 1.5), stray text in a numeric
 *    column read as missing — or the ingest fails with the IngestError the table calls for (a NUL:
 *    'binary'; no data row left: 'no-rows'). Nothing else.
 * 2. Random bytes, CSV-like bytes and random text: a table or an IngestError, never another exception.
 *
 * Every case must finish within CASE_MS (no hang, no super-linear blow-up), and every error, note and
 * warning message stays under MESSAGE_MAX characters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellText, type Column } from '../../../src/core/data/frame.ts';
import { IngestError, ingestCsv, type IngestResult } from '../../../src/core/data/ingest.ts';
import { MISSING_TOKENS, parseNumberFast } from '../../../src/core/data/tokens.ts';
import { chunked } from './helpers.ts';

const CASE_MS = 2_000;
const MESSAGE_MAX = 500;
/** Cases per property; the whole property must also finish within TIME_LIMIT_MS. */
const RUNS = { table: 1000, bytes: 2000, csvLikeBytes: 2000, text: 2000 };
const TIME_LIMIT_MS = 60_000;

const DELIMITERS = [',', ';', '\t', '|'];

// ---- cell values -------------------------------------------------------------------------------

const tricky = fc.constantFrom('"', '""', ',', ';', '\t', '|', '\n', '\r\n', '\r', ' ', '  ', '\u00a0', '\ufeff', 'é', '日本', '👍🏽', '\u2028');
const numericLooking = fc.oneof(
  fc.integer({ min: -1e9, max: 1e9 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer({ min: 0, max: 999 }).map((n) => `00${n}`),
  fc.integer({ min: 1000, max: 9_999_999 }).map((n) => n.toLocaleString('en-US')),
  fc.constantFrom('1,5', '-0,25', '1e5', '.5', '-0', '+3', '1.', '0x10', 'Infinity', '1 000'),
);
const cell = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 3, arbitrary: numericLooking },
  { weight: 2, arbitrary: fc.array(fc.oneof(tricky, fc.string({ unit: 'grapheme-ascii', maxLength: 4 })), { maxLength: 5 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', ...MISSING_TOKENS, 'yes', 'no', 'true', 'FALSE', '2021-03-04', '4/3/2021') },
);
/** A column of one kind mostly, so numeric, boolean and date columns come up, not only mixed text. */
const columnKind = fc.constantFrom<fc.Arbitrary<string>>(
  cell,
  fc.oneof({ weight: 9, arbitrary: numericLooking }, { weight: 1, arbitrary: cell }),
  fc.oneof({ weight: 9, arbitrary: fc.integer({ min: -50, max: 50 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('', 'NA', ' 7 ', 'x') }),
  fc.constantFrom('yes', 'no', ' Yes', '', 'NA'),
  fc.constantFrom('2021-03-04', '4/3/2021', '2020-12-31T23:59:00Z', '', '13/1/2020', 'n/a'),
);

interface Table {
  names: string[];
  rows: string[][];
}

// Column names: distinct after trimming, never blank (blank and repeated names are renamed by design,
// and bad-input.test.ts covers that). One table in ten gets a NUL in one of its cells.
const table: fc.Arbitrary<Table> = fc.array(columnKind, { minLength: 1, maxLength: 6 }).chain((kinds) =>
  fc
    .record({
      names: fc.uniqueArray(
        cell.filter((s) => s.trim() !== ''),
        { minLength: kinds.length, maxLength: kinds.length, selector: (s) => s.trim() },
      ),
      rows: fc.array(fc.tuple(...kinds), { minLength: 1, maxLength: 12 }),
      // Now and then the rows repeated into a file of ~100 KB or more: past the reader's 64 K parse
      // slices and the 1 KiB binary sniff (a NUL far into the file).
      repeat: fc.oneof({ weight: 7, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 200, max: 1000 }) }),
      nul: fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
    })
    .map(({ names, rows: block, repeat, nul }) => {
      const rows = repeat === 1 ? block : Array.from({ length: repeat }, () => block.map((r) => [...r])).flat();
      if (nul !== null) {
        const r = nul % rows.length;
        const j = Math.floor(nul / rows.length) % names.length;
        rows[r][j] = `${rows[r][j]}\u0000${rows[r][j]}`;
      }
      return { names, rows };
    }),
);

const format = fc.record({
  delimiter: fc.constantFrom(...DELIMITERS),
  newline: fc.constantFrom('\n', '\r\n', '\r'),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
  quoteAll: fc.boolean(),
  chunk: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 4000, max: 70_000 }), fc.constant(1 << 20)),
});
type Format = typeof format extends fc.Arbitrary<infer F> ? F : never;

/** RFC 4180 writing: a field is quoted when it holds a quote, a line break, any candidate delimiter, or edge spaces. */
function writeCsv(t: Table, f: Format): string {
  const field = (s: string) => (f.quoteAll || /["\r\n,;\t|]/.test(s) || s !== s.trim() || s === '' ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [t.names, ...t.rows].map((r) => r.map(field).join(f.delimiter));
  return (f.bom ? '\ufeff' : '') + lines.join(f.newline) + (f.finalNewline ? f.newline : '');
}

// ---- the oracle --------------------------------------------------------------------------------

/** A numeric cell's value must be one reading of its text (plain, zero-padded, grouped or decimal comma). */
function readings(t: string): number[] {
  return [parseNumberFast(t), Number(t), Number(t.replace(/,/g, '')), Number(t.replace(',', '.'))];
}

/** Why a cell does not decode to what was written, or null when it does (no expect() per cell: big tables). */
function cellProblem(col: Column, row: number, raw: string): string | null {
  const t = raw.trim();
  const where = `${JSON.stringify(col.name)} row ${row}: wrote ${JSON.stringify(raw)}`;
  if (col.storage === 'numeric') {
    const v = col.values[row];
    if (t === '') return v !== v ? null : `${where}, read ${v}`;
    if (col.type !== 'numeric' || v !== v) return null; // datetime: the date reading is datetime.test's job
    const plain = parseNumberFast(t);
    if (plain === plain) return v === plain ? null : `${where}, read ${v}`;
    return readings(t).includes(v) ? null : `${where}, read ${v}`;
  }
  const got = cellText(col, row);
  if (t === '') return got === '' ? null : `${where}, read ${JSON.stringify(got)}`;
  if (got === t || (got === '' && MISSING_TOKENS.has(t))) return null;
  // A number stored as a number while streaming comes back as the number's text.
  const v = parseNumberFast(t);
  return v === v && Number(got) === v ? null : `${where}, read ${JSON.stringify(got)}`;
}

function checkMessages(r: IngestResult): void {
  const all = [...r.notes.map((n) => n.message), ...r.profile.warnings.map((w) => w.message), ...r.profile.columns.map((c) => c.note ?? '')];
  for (const m of all) expect(m.length).toBeLessThan(MESSAGE_MAX);
}

/** Runs one ingest, timed: returns the result or the IngestError; anything else is rethrown. */
async function timedIngest(run: () => Promise<IngestResult>): Promise<IngestResult | IngestError> {
  const t0 = performance.now();
  let out: IngestResult | IngestError;
  try {
    out = await run();
  } catch (err) {
    if (!(err instanceof IngestError)) throw err;
    expect(err.message.length).toBeLessThan(MESSAGE_MAX);
    out = err;
  }
  expect(performance.now() - t0, 'one case took too long').toBeLessThan(CASE_MS);
  return out;
}

/** Runs `numRuns` seeded cases of `check`; running out of TIME_LIMIT_MS fails the test too. */
async function assertRuns<T>(arb: fc.Arbitrary<T>, numRuns: number, seed: number, check: (v: T) => Promise<void>): Promise<void> {
  let runs = 0;
  const counted = async (v: T) => {
    runs++;
    await check(v);
  };
  await fc.assert(fc.asyncProperty(arb, counted), { numRuns, seed, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: true });
  expect(runs).toBe(numRuns);
}

describe('CSV ingest, property-based', () => {
  it(`round trip: ${RUNS.table} random tables read back with their shape and values, or the IngestError they call for`, async () => {
    await assertRuns(fc.tuple(table, format), RUNS.table, 41, async ([t, f]) => {
      const text = writeCsv(t, f);
      const out = await timedIngest(() => ingestCsv(chunked(new TextEncoder().encode(text), f.chunk)));
      // One column: a row whose only cell is empty is a blank line, skipped by design.
      const rows = t.names.length === 1 ? t.rows.filter((r) => r[0] !== '') : t.rows;
      const hasNul = text.includes('\u0000');
      if (out instanceof IngestError) {
        expect(hasNul || rows.length === 0, `unexpected ${out.kind}: ${out.message}`).toBe(true);
        expect(out.kind).toBe(hasNul ? 'binary' : 'no-rows');
        return;
      }
      expect(hasNul, 'a NUL was accepted').toBe(false);
      expect(out.frame.rows).toBe(rows.length);
      expect(out.frame.columns.map((c) => c.name)).toEqual(t.names.map((n) => n.trim()));
      expect(out.delimiter).toBe(t.names.length === 1 ? ',' : f.delimiter);
      const problems: string[] = [];
      out.frame.columns.forEach((col, j) =>
        rows.forEach((r, i) => {
          const p = cellProblem(col, i, r[j]);
          if (p && problems.length < 5) problems.push(p);
        }),
      );
      expect(problems).toEqual([]);
      checkMessages(out);
    });
  });

  it(`${RUNS.bytes} random byte strings: a table or an IngestError`, async () => {
    const bytes = fc.uint8Array({ maxLength: 4096 });
    await assertRuns(fc.tuple(bytes, fc.integer({ min: 1, max: 512 })), RUNS.bytes, 42, async ([b, chunk]) => {
      const out = await timedIngest(() => ingestCsv(chunked(b, chunk)));
      if (!(out instanceof IngestError)) checkMessages(out);
    });
  });

  it(`${RUNS.csvLikeBytes} CSV-like byte strings (quotes, delimiters, line breaks, BOMs, bad UTF-8): a table or an IngestError`, async () => {
    const enc = (s: string) => Array.from(new TextEncoder().encode(s));
    const piece = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...[',', ';', '\t', '|', '"', '\n', '\r', '\r\n', ' ', 'a', '1', '.', '-', 'NA', '\ufeff', 'é'].map(enc)) },
      { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 3 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }).map(enc) },
    );
    const bytes = fc.array(piece, { maxLength: 400 }).map((ps) => Uint8Array.from(ps.flat()));
    await assertRuns(fc.tuple(bytes, fc.integer({ min: 1, max: 300 })), RUNS.csvLikeBytes, 43, async ([b, chunk]) => {
      const out = await timedIngest(() => ingestCsv(chunked(b, chunk)));
      if (!(out instanceof IngestError)) checkMessages(out);
    });
  });

  it(`${RUNS.text} random strings (a string source, as the page's paste path gives): a table or an IngestError`, async () => {
    const text = fc
      .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom(',', '"', '\n', '\r\n', ';')), { maxLength: 200 })
      .map((p) => p.join(''));
    await assertRuns(text, RUNS.text, 44, async (s) => {
      const out = await timedIngest(() => ingestCsv(s));
      if (!(out instanceof IngestError)) checkMessages(out);
    });
  });
});
