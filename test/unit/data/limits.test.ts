/**
 * The reader's limits, each found as a defect: wide files (storage reserved per column, a column
 * limit), NUL characters anywhere in the file, messages built from huge names or values, and the
 * record-length limit enforced exactly (not only when the reader's buffer doubles).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CsvReader, MAX_COLUMNS, MAX_RECORD_CHARS } from '../../../src/core/data/csv-reader.ts';
import { columnByName } from '../../../src/core/data/frame.ts';
import { ingestCsv, type IngestResult } from '../../../src/core/data/ingest.ts';
import { targetWarnings } from '../../../src/core/data/profile.ts';
import { ingestBytes, ingestError, ingestText } from './helpers.ts';

/** Every message the result carries: reader notes, warnings, per-column inference notes. */
function messages(r: IngestResult): string[] {
  return [...r.notes.map((n) => n.message), ...r.profile.warnings.map((w) => w.message), ...r.profile.columns.flatMap((c) => (c.note ? [c.note] : []))];
}

function wideCsv(columns: number, rows: number): string {
  const header = Array.from({ length: columns }, (_, j) => `c${j}`).join(',');
  const body = Array.from({ length: rows }, (_, i) => Array.from({ length: columns }, (_, j) => (j % 2 ? String(i + j) : `v${(i * j) % 5}`)).join(','));
  return `${header}\n${body.join('\n')}\n`;
}

/** Runs a CsvReader on `text` pushed in pieces of `piece` characters. */
function read(text: string, opts: { maxRecordChars?: number; totalBytes?: number }, piece = text.length): CsvReader {
  const reader = new CsvReader({ raggedRows: 'keep', notes: [], ...opts });
  for (let at = 0; at < text.length; at += piece) reader.push(text.slice(at, at + piece));
  reader.end();
  return reader;
}

function readError(fn: () => unknown): { kind: string; message: string; line?: number; column?: string } {
  try {
    fn();
  } catch (err) {
    return err as { kind: string; message: string; line?: number };
  }
  throw new Error('expected the reader to fail');
}

describe('wide files', () => {
  it('a column reserves storage for the rows it has, not 1024 of them', () => {
    const text = wideCsv(500, 3);
    for (const totalBytes of [undefined, text.length]) {
      const reader = read(text, { totalBytes });
      const reserved = reader.builders.map((b) => Math.max(b.values?.length ?? 0, b.codes?.length ?? 0));
      expect(Math.max(...reserved)).toBeLessThanOrEqual(32);
    }
    // And grows as rows come: every value of a longer file is kept.
    const long = read(wideCsv(3, 5000), {}, 1000);
    expect(long.rows).toBe(5000);
    expect(long.builders[1].values![4999]).toBe(4999 + 1);
  });

  it(`${MAX_COLUMNS.toLocaleString('en-US')} columns load; one more is refused with both numbers`, async () => {
    const ok = await ingestCsv(wideCsv(MAX_COLUMNS, 3));
    expect(ok.frame.columns).toHaveLength(MAX_COLUMNS);
    expect(ok.frame.rows).toBe(3);

    for (const text of [wideCsv(MAX_COLUMNS + 1, 3), `\n\n${wideCsv(MAX_COLUMNS + 1, 1)}`, wideCsv(50_000, 3)]) {
      const err = await ingestError(ingestText(text, {}, 4096));
      expect(err.kind).toBe('too-many-columns');
      const count = text.trimStart().split('\n')[0].split(',').length.toLocaleString('en-US');
      expect(err.message).toContain(`has ${count} columns; Sieve reads at most 20,000`);
      expect(err.line).toBe(text.startsWith('\n') ? 3 : 1);
    }
  });
});

describe('wide files: peak memory, in a process of its own', () => {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  async function peak(columns: number): Promise<{ error?: string; columns?: number; baseMB: number; peakMB: number }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-wide-'));
    try {
      const file = path.join(dir, 'wide.csv');
      fs.writeFileSync(file, wideCsv(columns, 3));
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/unit/data/peak-rss.ts', file], { cwd: repo });
      return JSON.parse(stdout);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('3 rows × 20,000 columns: under 130 MB above the idle process (1024 rows reserved per column took ~190 MB)', async () => {
    const r = await peak(MAX_COLUMNS);
    expect(r.columns).toBe(MAX_COLUMNS);
    expect(r.peakMB - r.baseMB).toBeLessThan(130);
  });

  it('3 rows × 50,000 columns: refused from the header, cheaply', async () => {
    const r = await peak(50_000);
    expect(r.error).toBe('too-many-columns');
    expect(r.peakMB - r.baseMB).toBeLessThan(40);
  });
});

describe('NUL characters', () => {
  const oneColumn = ['name', ...Array.from({ length: 300 }, (_, i) => (i === 200 ? 'abc\u0000SECRET' : `row${i}`))].join('\n');

  it('a NUL deep in a one-column file is an error naming its line and column, never a split', async () => {
    // Line 202: the header is line 1, row i is line i + 2. Whole, in bytes, in odd chunks, as a string.
    for (const p of [ingestText(oneColumn), ingestText(oneColumn, {}, 7), ingestCsv(oneColumn), ingestCsv(new TextEncoder().encode(oneColumn))]) {
      const err = await ingestError(p);
      expect(err.kind).toBe('binary');
      expect(err.line).toBe(202);
      expect(err.column).toBe('name');
      expect(err.message).toMatch(/^Line 202, column 1 \("name"\) contains a NUL character/);
    }
  });

  it('in a quoted cell of a CRLF file, past the first KiB, the line and column are still exact', async () => {
    const rows = ['id,"comment, free",score'];
    for (let i = 0; i < 120; i++) rows.push(i === 90 ? `${i},"two\r\nlines with a \u0000 inside",3` : `${i},"ok, fine",${i}`);
    const err = await ingestError(ingestText(rows.join('\r\n'), {}, 100));
    expect(err).toMatchObject({ kind: 'binary', line: 93, column: 'comment, free' });
    expect(err.message).toContain('Line 93, column 2 ("comment, free")');
  });

  it('one NUL in the first KiB (the binary sniff) is named by line and column too; several are a binary file', async () => {
    const text = 'id,name\n1,ann\n2,b\u0000ob\n3,cy\n';
    for (const p of [ingestText(text), ingestCsv(text)]) {
      expect(await ingestError(p)).toMatchObject({
        kind: 'binary',
        line: 3,
        column: 'name',
        message: expect.stringMatching(/^Line 3, column 2 \("name"\) contains a NUL/),
      });
    }
    const utf16 = new Uint8Array([...new TextEncoder().encode('a,b\n1,2\n')].flatMap((b) => [b, 0]));
    expect((await ingestError(ingestBytes(utf16))).message).toMatch(/^This does not look like a CSV text file: it contains a NUL byte \(byte 1, line 1\)/);
  });

  it('a NUL in a header longer than the binary sniff names the header', async () => {
    const err = await ingestError(ingestText(`${'a,'.repeat(800)}b\u0000\n${'1,'.repeat(800)}2\n`));
    expect(err).toMatchObject({ kind: 'binary', line: 1 });
    expect(err.message).toMatch(/^Line 1 \(the header\) contains a NUL/);
  });

  it('a file without NUL still splits one-column values like "Lyon, France" nowhere', async () => {
    const r = await ingestText('city\nLyon, France\nParis\n');
    expect(r.frame.columns).toHaveLength(1);
    expect(r.profile.columns[0].topLevels!.map((l) => l.level).sort()).toEqual(['Lyon, France', 'Paris']);
  });
});

describe('huge names and values in messages', () => {
  const huge = 'x'.repeat(5_000_000);

  it('a 5 MB one-line file gives a short error', async () => {
    const err = await ingestError(ingestText(huge));
    expect(err.kind).toBe('no-rows');
    expect(err.message.length).toBeLessThan(500);
  });

  it('notes, warnings and profile notes quote at most 60 characters of a name or value', async () => {
    const longNumber = '1'.repeat(2_000_000);
    const rows = [`${huge},${huge},${longNumber},id,y`];
    for (let i = 0; i < 40; i++) rows.push(`${i % 2 ? 'a' : 'b'},,${i === 5 ? huge : i},00${i},${i === 0 ? huge : 'k'}`);
    const r = await ingestText(rows.join('\n'));
    const all = [...messages(r), ...targetWarnings(r.frame, r.frame.columns[4].name).map((w) => w.message)];
    expect(all.length).toBeGreaterThan(4);
    for (const m of all) expect(m.length, m.slice(0, 200)).toBeLessThan(500);
    // The names themselves are data and stay whole.
    expect(r.frame.columns[0].name).toBe(huge);
    expect(r.notes.find((n) => n.kind === 'duplicate-header')!.column).toBe(`${huge}_2`);
  });

  it('a header line of long numbers ("looks like data") and an unknown column are bounded too', async () => {
    const r = await ingestText(`${'9'.repeat(100_000)},${'8'.repeat(100_000)}\n1,2\n`);
    expect(r.notes.find((n) => n.kind === 'no-header')!.message.length).toBeLessThan(500);
    const wide = await ingestCsv(wideCsv(3000, 2));
    expect(() => columnByName(wide.frame, huge)).toThrow(/^Column "x{57}\.\.\." is not in the data\. Columns: c0, c1, .* and 2980 more$/);
  });

  it('an unterminated quote names a huge column briefly', async () => {
    const err = await ingestError(ingestText(`a,${huge}\n1,"open\n2,3\n4,5\n`));
    expect(err.kind).toBe('unterminated-quote');
    expect(err.message.length).toBeLessThan(500);
    expect(err.column!.length).toBeLessThanOrEqual(60);
  });
});

describe('record length limit', () => {
  const limit = 1000;
  const line = (n: number) => `a,b\n1,${'x'.repeat(n - 2)}\n2,y\n`;

  it('is exact: a record of `limit` characters passes, any longer one fails, however the text arrives', () => {
    for (const piece of [1 << 20, 64, 999, 1001]) {
      expect(read(line(limit), { maxRecordChars: limit }, piece).rows).toBe(2);
      for (const n of [limit + 1, 1500, 1999, 2500]) {
        const err = readError(() => read(line(n), { maxRecordChars: limit }, piece));
        expect(err).toMatchObject({ kind: 'line-too-long', line: 2 });
        expect(err.message).toBe('Line 2 is longer than 1,000 characters without a line break: this does not look like a CSV table.');
      }
    }
  });

  it('counts the header and the last line (no line break after it) too', () => {
    const header = `${'h'.repeat(1001)},b\n1,2\n`;
    expect(readError(() => read(header, { maxRecordChars: limit }, 100))).toMatchObject({ kind: 'line-too-long', line: 1 });
    const last = `a,b\n1,2\n3,${'z'.repeat(1200)}`;
    expect(readError(() => read(last, { maxRecordChars: limit }, 100))).toMatchObject({ kind: 'line-too-long', line: 3 });
  });

  it('a quoted field running past the limit is reported as such (closing later does not help), in the header too', () => {
    const text = `a,b\n1,"${'q\n'.repeat(700)}"\n2,3\n`;
    expect(readError(() => read(text, { maxRecordChars: limit }, 128))).toMatchObject({ kind: 'unterminated-quote', line: 2 });
    const header = `\n\na,"b${'q\n'.repeat(700)}`;
    expect(readError(() => read(header, { maxRecordChars: limit }, 128))).toMatchObject({ kind: 'unterminated-quote', line: 3 });
  });

  it(`the real limit: a line of ${MAX_RECORD_CHARS} + 1 characters is refused`, async () => {
    const bytes = new TextEncoder().encode(`a\n${'x'.repeat(MAX_RECORD_CHARS + 1)}\n1\n`);
    const err = await ingestError(ingestBytes(bytes));
    expect(err).toMatchObject({ kind: 'line-too-long', line: 2 });
    expect(err.message).toContain('longer than 64 MB');
  });
});
