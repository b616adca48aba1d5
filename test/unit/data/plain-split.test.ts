/**
 * The reader splits quote-free chunks itself (plain-split.ts, csv-reader.ts splitPlain) instead of
 * through papaparse, reading numbers and known levels in place. These tests read the same input both
 * ways (`plainSplit: false` sends every chunk through papaparse) and require the same result: frame,
 * profile, notes, or the same error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { IngestError, ingestCsv, type IngestOptions, type IngestResult } from '../../../src/core/data/ingest.ts';
import { chunked } from './helpers.ts';

const datasets = path.resolve(__dirname, '../../../../shared/datasets');

async function both(bytes: Uint8Array, chunk: number, opts: IngestOptions = {}): Promise<[unknown, unknown]> {
  const read = async (plainSplit: boolean) => {
    try {
      return summary(await ingestCsv(chunked(bytes, chunk), { ...opts, plainSplit }));
    } catch (err) {
      if (err instanceof IngestError) return { error: err.kind, message: err.message, line: err.line, column: err.column };
      throw err;
    }
  };
  return [await read(true), await read(false)];
}

/** Everything a reader decides, with typed arrays as plain arrays (Object.is per value: -0 and NaN count). */
function summary(r: IngestResult): unknown {
  return {
    rows: r.frame.rows,
    columns: r.frame.columns.map((c) => ({ ...c, values: c.storage === 'numeric' ? Array.from(c.values) : Array.from(c.codes) })),
    profile: r.profile,
    notes: r.notes,
    delimiter: r.delimiter,
    encoding: r.encoding,
  };
}

function expectSame([fast, papa]: [unknown, unknown]): void {
  if (!isDeepStrictEqual(fast, papa)) expect(fast).toEqual(papa);
}

const cell = fc.oneof(
  { weight: 4, arbitrary: fc.double({ noNaN: true, min: -1e6, max: 1e6 }).map((v) => v.toFixed(3)) },
  { weight: 3, arbitrary: fc.integer({ min: -99, max: 999 }).map(String) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'a',
      'b',
      'cat',
      'dog',
      'New York',
      ' padded ',
      'é',
      '日本',
      'NA',
      '',
      ' ',
      '-',
      '007',
      '1e5',
      '1,5',
      '+3',
      '.5',
      '-0',
      'yes',
      'no',
      '2021-03-04',
      '12345678901234567',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 6 }).map((s) => s.replace(/["\r\n]/g, '')) },
);

const table = fc.record({
  width: fc.integer({ min: 1, max: 5 }),
  rows: fc.array(fc.array(cell, { minLength: 0, maxLength: 7 }), { minLength: 1, maxLength: 40 }),
  delimiter: fc.constantFrom(',', ';', '\t', '|'),
  newline: fc.constantFrom('\n', '\r\n', '\r'),
  finalNewline: fc.boolean(),
  repeat: fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 100, max: 3000 }) }),
  quoteAt: fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat() }),
  strayCR: fc.boolean(),
  chunk: fc.constantFrom(7, 1000, 65_536, 1 << 20),
  ragged: fc.constantFrom<'keep' | 'skip'>('keep', 'skip'),
});

describe('plain split (no quotes) reads exactly as papaparse', () => {
  it('random tables: ragged, blank and trailing-delimiter rows, every line break, non-ASCII, a quote somewhere', async () => {
    await fc.assert(
      fc.asyncProperty(table, async (t) => {
        const header = Array.from({ length: t.width }, (_, j) => `c${j}`);
        // Rows of any length: too short, too long (some only by empty cells), empty (a blank line).
        const body = Array.from({ length: t.repeat }, () => t.rows).flat();
        const lines = [header.join(t.delimiter), ...body.map((r) => r.join(t.delimiter))];
        if (t.quoteAt >= 0) lines[1 + (t.quoteAt % (lines.length - 1 || 1))] += `${t.delimiter}"q${t.delimiter}x"`;
        if (t.strayCR) for (let i = 1; i < lines.length; i += 7) lines[i] += '\r';
        const text = lines.join(t.newline) + (t.finalNewline ? t.newline : '');
        expectSame(await both(new TextEncoder().encode(text), t.chunk, { raggedRows: t.ragged }));
      }),
      { seed: 20261130, numRuns: 300 },
    );
  }, 120_000);

  it('the shared datasets', async () => {
    for (const name of ['adult.csv', 'ames_housing.csv', 'titanic.csv', 'diamonds.csv']) {
      const bytes = new Uint8Array(fs.readFileSync(path.join(datasets, name)));
      expectSame(await both(bytes, 1 << 20));
    }
  }, 60_000);
});
