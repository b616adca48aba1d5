/** Reading CSV text right: delimiters, quoting, line breaks, chunk boundaries, headers, line numbers. */
import { describe, expect, it } from 'vitest';
import { ingestCsv } from '../../../src/core/data/ingest.ts';
import { cells, ingestBytes, ingestText, numbers } from './helpers.ts';

describe('delimiters', () => {
  it.each([
    [',', 'comma'],
    [';', 'semicolon'],
    ['\t', 'tab'],
    ['|', 'pipe'],
  ])('detects %j (%s)', async (d) => {
    const text =
      ['name', 'age', 'city'].join(d) +
      '\n' +
      [
        ['"Smith, J; Jr|x"', '42', 'Oslo'],
        ['Lee', '7', 'Rome'],
      ]
        .map((r) => r.join(d))
        .join('\n') +
      '\n';
    const r = await ingestText(text);
    expect(r.delimiter).toBe(d);
    expect(r.frame.columns.map((c) => c.name)).toEqual(['name', 'age', 'city']);
    expect(cells(r.frame, 'name')).toEqual(['Smith, J; Jr|x', 'Lee']);
    expect(numbers(r.frame, 'age')).toEqual([42, 7]);
  });

  it('prefers the delimiter that splits every record alike, ignoring commas inside quotes', async () => {
    const r = await ingestText('a;b;c\n"1,2,3";x;y\n4,5;z;w\n');
    expect(r.delimiter).toBe(';');
    expect(cells(r.frame, 'a')).toEqual(['1,2,3', '4,5']);
  });

  it('European semicolon files with decimal commas read as numbers', async () => {
    const r = await ingestText('produit;prix;quantité\npomme;1,5;3\npoire;0,25;10\nkiwi;12;1\n');
    expect(r.delimiter).toBe(';');
    expect(numbers(r.frame, 'prix')).toEqual([1.5, 0.25, 12]);
    expect(r.profile.columns[1].note).toMatch(/decimal comma/);
  });
});

describe('quoting and line breaks', () => {
  const tricky =
    'id,text,n\r\n' +
    '1,"plain",10\r\n' +
    '2,"with, comma",20\r\n' +
    '3,"she said ""hi""",30\r\n' +
    '4,"two\r\nlines",40\r\n' +
    '5,"three\nbare\nlines, and ""quotes""",50\r\n' +
    '6,,60\r\n' +
    '7,"",70\r\n';
  const expected = ['plain', 'with, comma', 'she said "hi"', 'two\r\nlines', 'three\nbare\nlines, and "quotes"', '', ''];

  it('quoted delimiters, escaped quotes and line breaks survive every chunk boundary', async () => {
    for (const chunk of [1, 2, 3, 5, 7, 11, 64, 1 << 20]) {
      const r = await ingestText(tricky, {}, chunk);
      expect(cells(r.frame, 'text'), `chunk ${chunk}`).toEqual(expected);
      expect(numbers(r.frame, 'n'), `chunk ${chunk}`).toEqual([10, 20, 30, 40, 50, 60, 70]);
      expect(r.notes).toEqual([]);
    }
  });

  it('a quoted line break straddling the parser chunk boundary (64 K characters) is handled', async () => {
    const pad = 'x'.repeat(65_536 - 30);
    const text = `a,b\n1,${pad}\n2,"line one\nline two"\n3,end\n`;
    for (let shift = 0; shift < 40; shift += 3) {
      const r = await ingestText(text.replace('x', 'x'.repeat(shift + 1)));
      expect(cells(r.frame, 'b')[1]).toBe('line one\nline two');
      expect(cells(r.frame, 'a')).toEqual(['1', '2', '3']);
    }
  });

  it('CRLF files keep no stray \\r, and the UTF-8 BOM is not part of the first name', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Order,Name\r\n1,a\r\n2,b\r\n')]);
    const r = await ingestBytes(bytes, {}, 2);
    expect(r.frame.columns.map((c) => c.name)).toEqual(['Order', 'Name']);
    expect(cells(r.frame, 'Name')).toEqual(['a', 'b']);
    const s = await ingestCsv('\uFEFFx\r\n1\r\n');
    expect(s.frame.columns[0].name).toBe('x');
  });

  it('old Mac \\r line breaks and mixed endings', async () => {
    const r = await ingestText('a,b\r1,x\r2,y\r');
    expect(cells(r.frame, 'b')).toEqual(['x', 'y']);
    const mixed = await ingestText('a,b\n1,x\r\n2,y\n');
    expect(cells(mixed.frame, 'b')).toEqual(['x', 'y']);
  });

  it('no final line break is fine; blank lines between rows are skipped and noted, trailing ones silently', async () => {
    const r = await ingestText('a,b\n1,2\n\n3,4\n   \n5,6\n\n\n');
    expect(numbers(r.frame, 'a')).toEqual([1, 3, 5]);
    expect(r.notes).toEqual([expect.objectContaining({ kind: 'blank-lines', count: 2, lines: [3, 5] })]);
    const noEol = await ingestText('a,b\n1,2\n3,4');
    expect(numbers(noEol.frame, 'b')).toEqual([2, 4]);
  });

  it('malformed quoting never hangs and keeps the rows it can', async () => {
    const cases = ['a,b\n"x"y,1\n2,3\n', 'a,b\n1,x"y"\n2,"z""\n3,4\n', 'a,b\n"""\n', 'a,b\n1,2\n"', '"\n'];
    for (const text of cases) {
      const outcome = await ingestText(text, {}, 3).then(
        (r) => `${r.frame.rows} rows`,
        (e: { kind: string }) => e.kind,
      );
      expect(outcome, JSON.stringify(text)).toMatch(/^(\d+ rows|unterminated-quote|no-rows|empty)$/);
    }
  });

  it('line numbers in notes count the lines inside quoted fields', async () => {
    const r = await ingestText('a,b\n1,"x\ny\nz"\n2\n3,w\n', {}, 4);
    expect(r.notes.find((n) => n.kind === 'ragged-rows')?.lines).toEqual([5]);
  });
});

describe('headers', () => {
  it('blank and duplicate names are made unique and reported', async () => {
    const r = await ingestText('Age,,Age,name, Age ,column_2\n1,2,3,4,5,6\n');
    expect(r.frame.columns.map((c) => c.name)).toEqual(['Age', 'column_2_2', 'Age_2', 'name', 'Age_3', 'column_2']);
    expect(r.notes.map((n) => [n.kind, n.column])).toEqual([
      ['blank-header', 'column_2_2'],
      ['duplicate-header', 'Age_2'],
      ['duplicate-header', 'Age_3'],
    ]);
    expect(r.notes[1].message).toBe('Column 3 repeats the name "Age" (line 1); it is called "Age_2".');
  });

  it('an unnamed, empty trailing column (a trailing delimiter) is dropped with a note', async () => {
    const r = await ingestText('a,b,\n1,2,\n3,4,\n');
    expect(r.frame.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(r.notes.map((n) => n.kind)).toEqual(['empty-column-dropped']);
    const named = await ingestText('a,b,\n1,2,x\n3,4,\n');
    expect(named.frame.columns.map((c) => c.name)).toEqual(['a', 'b', 'column_3']);
  });

  it('extra empty cells at the end of rows are a trailing delimiter, not ragged rows', async () => {
    const r = await ingestText('a,b\n1,2,\n3,4,,\n');
    expect(numbers(r.frame, 'b')).toEqual([2, 4]);
    expect(r.notes.map((n) => n.kind)).toEqual(['trailing-delimiter']);
  });

  it('a header longer than a parse chunk (20 000 columns) is detected whole', async () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `feature_${i}`);
    const text = `${names.join(';')}\n${names.map((_, i) => i).join(';')}\n`;
    const r = await ingestText(text, {}, 4096);
    expect(r.delimiter).toBe(';');
    expect(r.frame.columns).toHaveLength(20_000);
    expect(cells(r.frame, 'feature_19999')).toEqual(['19999']);
  });

  it('a first line of numbers is flagged as probably not a header', async () => {
    const r = await ingestText('6,148,72\n1,85,66\n8,183,64\n');
    expect(r.notes.map((n) => n.kind)).toEqual(['no-header']);
    expect(r.frame.rows).toBe(2);
  });
});
