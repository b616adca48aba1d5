/** Bad input never crashes or hangs: each case is a clear IngestError or a note naming the problem and where. */
import { describe, expect, it } from 'vitest';
import { ingestCsv } from '../../../src/core/data/ingest.ts';
import { cells, chunked, ingestBytes, ingestError, ingestText, numbers, types } from './helpers.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('bad input', () => {
  it('an empty file is "empty"', async () => {
    const err = await ingestError(ingestBytes(new Uint8Array(0)));
    expect(err.kind).toBe('empty');
    expect(err.message).toBe('The file is empty.');
    expect((await ingestError(ingestCsv(''))).kind).toBe('empty');
  });

  it('a BOM or blank lines only is "empty" too', async () => {
    expect((await ingestError(ingestBytes(new Uint8Array([0xef, 0xbb, 0xbf])))).kind).toBe('empty');
    const err = await ingestError(ingestText('\n\n  \r\n\n'));
    expect(err.kind).toBe('empty');
    expect(err.message).toMatch(/only blank lines/);
  });

  it('a header without rows is "no-rows", naming the columns and line 2', async () => {
    for (const text of ['a,b,c', 'a,b,c\n', 'a,b,c\r\n\r\n\r\n']) {
      const err = await ingestError(ingestText(text));
      expect(err.kind).toBe('no-rows');
      expect(err.message).toContain('3 columns: "a", "b", "c"');
      expect(err.line).toBe(2);
    }
  });

  it('binary files are refused by their first bytes', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const err = await ingestError(ingestBytes(png));
    expect(err.kind).toBe('binary');
    expect(err.message).toMatch(/NUL byte \(byte 8, line 3\)/);

    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0, ...enc('xl/workbook.xml')]);
    expect((await ingestError(ingestBytes(zip))).message).toMatch(/ZIP archive.*xlsx/);
    const gzip = new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4]);
    expect((await ingestError(ingestBytes(gzip))).message).toMatch(/gzip/);
    const utf16 = new Uint8Array([0xff, 0xfe, 0x61, 0, 0x2c, 0, 0x62, 0, 0x0a, 0]);
    expect((await ingestError(ingestBytes(utf16))).message).toMatch(/UTF-16/);

    // Mostly control characters, no NUL: still binary. Fed one byte at a time to check the sniffing waits for 1 KiB.
    const noise = new Uint8Array(2048).map((_, i) => 1 + (i % 8));
    const e2 = await ingestError(ingestBytes(noise, {}, 1));
    expect(e2.kind).toBe('binary');
    expect(e2.message).toMatch(/control characters/);
    expect((await ingestError(ingestCsv('a,b\n1,\u00002\n'))).kind).toBe('binary');
  });

  it('ragged rows are kept (padded / cut) by default and reported with their first 10 lines and count', async () => {
    const rows = ['a,b,c'];
    for (let i = 0; i < 30; i++) rows.push(i % 2 === 0 ? `${i},x,${i}` : i % 4 === 1 ? `${i},y` : `${i},z,${i},extra`);
    const r = await ingestText(rows.join('\n'));
    expect(r.frame.rows).toBe(30);
    const note = r.notes.find((n) => n.kind === 'ragged-rows')!;
    expect(note.count).toBe(15);
    expect(note.lines).toEqual([3, 5, 7, 9, 11, 13, 15, 17, 19, 21]);
    expect(note.message).toContain('and 5 more');
    expect(cells(r.frame, 'c').slice(0, 4)).toEqual(['0', '', '2', '3']);
    expect(cells(r.frame, 'b').slice(0, 4)).toEqual(['x', 'y', 'x', 'z']);
  });

  it('ragged rows can be skipped instead', async () => {
    const r = await ingestText('a,b\n1,2\n3\n4,5,6\n7,8\n', { raggedRows: 'skip' });
    expect(numbers(r.frame, 'a')).toEqual([1, 7]);
    const note = r.notes.find((n) => n.kind === 'ragged-rows')!;
    expect(note).toMatchObject({ count: 2, lines: [3, 4] });
    expect(note.message).toMatch(/skipped/);
  });

  it('non-UTF-8 bytes fall back to windows-1252 with a note naming the line', async () => {
    const bytes = new Uint8Array([...enc('name,city\n1,Paris\n2,'), 0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e, ...enc('\n3,'), 0x80, ...enc('uro\n')]);
    for (const chunk of [1, 3, 1 << 20]) {
      const r = await ingestBytes(bytes, {}, chunk);
      expect(r.encoding).toBe('windows-1252');
      expect(cells(r.frame, 'city')).toEqual(['Paris', 'München', '€uro']);
      const note = r.notes.find((n) => n.kind === 'encoding')!;
      expect(note.lines).toEqual([3]);
      expect(note.message).toMatch(/not valid UTF-8 \(first bad byte 0xFC at byte offset 21, line 3, read as "ünchen"/);
    }
  });

  it('invalid bytes far into a stream switch encoding there; valid multi-byte characters split across chunks do not', async () => {
    const head = 'id,word\n' + Array.from({ length: 3000 }, (_, i) => `${i},ok`).join('\n') + '\n';
    const bytes = new Uint8Array([...enc(head), ...enc('3000,caf'), 0xe9, ...enc('\n')]);
    const r = await ingestBytes(bytes, {}, 1000);
    expect(r.encoding).toBe('windows-1252');
    expect(cells(r.frame, 'word')[3000]).toBe('café');
    expect(r.notes[0].lines).toEqual([3002]);

    const utf8 = enc('w\nnaïve\n日本語\n🙂\n');
    const ok = await ingestBytes(utf8, {}, 1);
    expect(ok.encoding).toBe('utf-8');
    expect(ok.notes).toEqual([]);
    expect(cells(ok.frame, 'w')).toEqual(['naïve', '日本語', '🙂']);
  });

  it('too large: refused before reading when the size is known, or as soon as the stream passes the limit', async () => {
    // eslint-disable-next-line require-yield -- a source that fails if it is ever read
    async function* neverRead(): AsyncGenerator<Uint8Array> {
      throw new Error('the source was read');
    }
    const early = await ingestError(ingestCsv(neverRead(), { totalBytes: 2_000_000, maxBytes: 1_000_000 }));
    expect(early.kind).toBe('too-large');
    expect(early.message).toMatch(/1\.9 MiB, above the 976\.6 KiB limit/);

    const big = enc('a,b\n' + '1,2\n'.repeat(10_000));
    const late = await ingestError(ingestCsv(chunked(big, 4096), { maxBytes: 20_000 }));
    expect(late.kind).toBe('too-large');
    expect(late.message).toMatch(/larger than/);
    expect((await ingestError(ingestCsv(big, { maxBytes: 100 }))).kind).toBe('too-large');
  });

  it('one column only works, profile included', async () => {
    const r = await ingestText('score\n1\n2\n\n3\n');
    expect(r.frame.columns).toHaveLength(1);
    expect(r.delimiter).toBe(',');
    expect(numbers(r.frame, 'score')).toEqual([1, 2, 3]);
    expect(r.profile.columns[0]).toMatchObject({ name: 'score', type: 'numeric', missing: 0, distinct: 3 });
    const words = await ingestText('city\nParis\nLyon, France\nParis\n');
    expect(cells(words.frame, 'city')).toEqual(['Paris', 'Lyon, France', 'Paris']);
  });

  it('an unterminated quote: an error naming line and column when it swallows the rest, a note when only the last line', async () => {
    const err = await ingestError(ingestText('id,text\n1,"fine"\n2,"oops\n3,a\n4,b\n5,c\n', {}, 7));
    expect(err.kind).toBe('unterminated-quote');
    expect(err.line).toBe(3);
    expect(err.column).toBe('text');
    expect(err.message).toMatch(/^Line 3, column "text": a quoted field opens but never closes/);

    const r = await ingestText('id,text\n1,"fine"\n2,"cut off');
    expect(cells(r.frame, 'text')).toEqual(['fine', 'cut off']);
    expect(r.notes).toContainEqual(expect.objectContaining({ kind: 'unterminated-quote', lines: [3], column: 'text' }));
  });

  it('text after a closing quote is reported', async () => {
    const r = await ingestText('a,b\n1,"x"y\n2,z\n');
    expect(r.notes.find((n) => n.kind === 'malformed-quotes')).toMatchObject({ count: 1, lines: [2] });
  });

  it('cancelling stops the read', async () => {
    const controller = new AbortController();
    const text = 'a,b\n' + '1,2\n'.repeat(500_000);
    const p = ingestCsv(text, { signal: controller.signal });
    controller.abort();
    const err = await ingestError(p);
    expect(err.kind).toBe('aborted');
  });

  it('a huge quoted field (longer than a parse chunk) is read whole, in linear time', async () => {
    const long = 'x'.repeat(300_000) + '\n' + 'y'.repeat(300_000);
    const r = await ingestText(`id,blob\n1,"${long}"\n2,short\n`, {}, 10_000);
    expect(cells(r.frame, 'blob')[0]).toBe(long);
    expect(cells(r.frame, 'id')).toEqual(['1', '2']);
    expect(types(r).blob).toBe('categorical');
  });
});
