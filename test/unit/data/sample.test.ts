/**
 * Reading a table as a row sample (maxRows: a seeded uniform reservoir sample, csv-reader.ts +
 * reservoir.ts) and planning it from the device's memory (memory-plan.ts), on the real CSVs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ingestCsv, type IngestResult } from '../../../src/core/data/ingest.ts';
import { budgetFromEnvironment, planMemory, shapeFromHead, WORKING_FACTOR, type TableShape } from '../../../src/core/data/memory-plan.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { chunked } from './helpers.ts';

const datasets = path.resolve(__dirname, '../../../../shared/datasets');
const read = (name: string) => new Uint8Array(fs.readFileSync(path.join(datasets, name)));

function frameOf(r: IngestResult): unknown {
  return r.frame.columns.map((c) => ({ ...c, values: c.storage === 'numeric' ? Array.from(c.values) : Array.from(c.codes) }));
}

/** The data lines Algorithm R keeps with this seed, picked here independently of the reader, in file order. */
function reservoirLines(text: string, k: number, seed: number): string {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const rng = new Rng(seed);
  const slots: number[] = [];
  for (let i = 0; i < lines.length - 1; i++) {
    const s = i < k ? i : rng.int(i + 1);
    if (s < k) slots[s] = i;
  }
  return [lines[0], ...slots.sort((a, b) => a - b).map((i) => lines[i + 1])].join('\n') + '\n';
}

describe('reading a sample of the rows', () => {
  for (const [name, k] of [
    ['adult.csv', 4000],
    ['titanic.csv', 300],
    ['bank_marketing.csv', 2500],
  ] as const) {
    it(`${name}: the sample is the table of exactly the rows a seeded reservoir picks, in file order`, async () => {
      const bytes = read(name);
      const sampled = await ingestCsv(chunked(bytes, 100_000), { maxRows: k, sampleSeed: 7 });
      const total = (await ingestCsv(bytes)).frame.rows;
      expect(sampled.sample).toEqual({ totalRows: total, keptRows: k, seed: 7, method: 'uniform reservoir' });
      expect(sampled.frame.rows).toBe(k);
      const expected = await ingestCsv(reservoirLines(new TextDecoder().decode(bytes), k, 7));
      expect(isDeepStrictEqual(frameOf(sampled), frameOf(expected))).toBe(true);
      // One note counts over every row read, not only the kept ones: values written with spaces around them.
      const trimmedNote = / ?\d+ distinct value\(s\) had spaces around them; the spaces were removed\./;
      const notes = (r: IngestResult) => r.profile.columns.map((c) => ({ ...c, note: c.note?.replace(trimmedNote, '') || undefined }));
      expect(notes(sampled)).toEqual(notes(expected));
      // The same sample whether the reader or papaparse splits the chunks.
      const viaPapa = await ingestCsv(chunked(bytes, 100_000), { maxRows: k, sampleSeed: 7, plainSplit: false });
      expect(isDeepStrictEqual(frameOf(viaPapa), frameOf(sampled))).toBe(true);
      const note = sampled.notes.find((n) => n.kind === 'sample');
      expect(note?.message).toContain(`${total.toLocaleString('en-US')} data rows`);
      expect(note?.message).toContain(`sample of ${k.toLocaleString('en-US')}`);
    });
  }

  it('another seed gives another sample; the class shares stay close to the file’s', async () => {
    const bytes = read('adult.csv');
    const a = await ingestCsv(bytes, { maxRows: 5000, sampleSeed: 1 });
    const b = await ingestCsv(bytes, { maxRows: 5000, sampleSeed: 2 });
    const all = await ingestCsv(bytes);
    expect(isDeepStrictEqual(frameOf(a), frameOf(b))).toBe(false);
    const share = (r: IngestResult) => {
      const c = r.frame.columns.find((x) => x.name === 'income')!;
      if (c.storage !== 'categorical') throw new Error('income is categorical');
      const top = c.levels.indexOf('>50K');
      return Array.from(c.codes).filter((x) => x === top).length / r.frame.rows;
    };
    // 5,000 rows: the standard error of a 24 % share is 0.6 points.
    expect(Math.abs(share(a) - share(all))).toBeLessThan(0.025);
    expect(Math.abs(share(b) - share(all))).toBeLessThan(0.025);
  });

  it('a limit at or above the row count reads every row, with no sample', async () => {
    const bytes = read('titanic.csv');
    const all = await ingestCsv(bytes);
    const limited = await ingestCsv(bytes, { maxRows: all.frame.rows });
    expect(limited.sample).toBeUndefined();
    expect(isDeepStrictEqual(frameOf(limited), frameOf(all))).toBe(true);
    expect(limited.profile).toEqual(all.profile);
  });

  it('messages of a sampled read name the line in the file', async () => {
    // Stray text deep in a numeric column: its line must be the file's, not the row's place in the sample.
    const lines = ['x,y'];
    for (let i = 0; i < 5000; i++) lines.push(`${i % 97},${i % 3 === 0 ? 'a' : 'b'}`);
    lines[4001] = 'oops,b';
    const text = lines.join('\n') + '\n';
    for (let seed = 1; seed < 40; seed++) {
      const r = await ingestCsv(text, { maxRows: 1000, sampleSeed: seed });
      const w = r.profile.warnings.find((x) => x.kind === 'stray-text');
      if (!w) continue; // this seed left the line out
      expect(w.message).toContain('on line 4002');
      return;
    }
    throw new Error('no seed kept the stray line');
  });
});

describe('memory plan', () => {
  it('the shape of a file comes from its first rows, as Sieve would store them', async () => {
    const bytes = read('adult.csv');
    const shape = await shapeFromHead(bytes.subarray(0, 64 * 1024), false);
    const full = await ingestCsv(bytes);
    expect(shape.columns).toBe(full.frame.columns.length);
    expect(shape.numericColumns).toBe(full.frame.columns.filter((c) => c.storage === 'numeric').length);
    const estimated = bytes.length / shape.fileBytesPerRow;
    expect(Math.abs(estimated - full.frame.rows) / full.frame.rows).toBeLessThan(0.05);
  });

  it('budgets: half the device, capped; the page without deviceMemory assumes 4 GB; Node half the machine or 80 % of free', () => {
    expect(budgetFromEnvironment({ deviceMemoryGB: 8 }).bytes).toBe(4e9);
    expect(budgetFromEnvironment({ deviceMemoryGB: 2 }).bytes).toBe(1e9);
    expect(budgetFromEnvironment({}).bytes).toBe(2e9);
    expect(budgetFromEnvironment({ deviceMemoryGB: 8, jsHeapSizeLimit: 2.1e9 }).bytes).toBe(2.1e9);
    expect(budgetFromEnvironment({ totalMemory: 16e9, freeMemory: 12e9 }).bytes).toBe(8e9);
    expect(budgetFromEnvironment({ totalMemory: 16e9, freeMemory: 5e9 }).bytes).toBe(4e9);
  });

  it('a table that fits is read whole; one that does not gets a sample of the rows that fit, said with the numbers', () => {
    // 1M rows × 25 inputs as bench:scale writes them: 20 numbers, 6 categories (target included), 170 bytes a row.
    const shape: TableShape = { columns: 26, numericColumns: 20, codeColumns: 6, fileBytesPerRow: 169.4, headRows: 1500 };
    const frameBytes = 20 * 8 + 6 * 4;
    const big = planMemory(169.4e6, shape, budgetFromEnvironment({ totalMemory: 24e9, freeMemory: 20e9 }));
    expect(big.estimatedRows).toBe(1_000_000);
    expect(big.frameBytesPerRow).toBe(frameBytes);
    expect(big.maxRows).toBeNull();
    expect(big.message).toBeNull();
    // 3M rows on a 4 GB page (2 GB budget): 2e9 / (184 × 10) = 1,086,956 → 1,000,000 (two digits, down).
    const page = planMemory(3 * 169.4e6, shape, budgetFromEnvironment({ deviceMemoryGB: 4 }));
    expect(page.rowsThatFit).toBe(Math.floor(2e9 / (frameBytes * WORKING_FACTOR) / 1e5) * 1e5);
    expect(page.maxRows).toBe(1_000_000);
    expect(page.limitedBy).toBe('memory');
    expect(page.message).toContain('about 3M rows');
    expect(page.message).toContain('sample of 1,000,000 rows');
    // A forced limit below what fits.
    const forced = planMemory(169.4e6, shape, budgetFromEnvironment({ totalMemory: 24e9, freeMemory: 20e9 }), 50_000);
    expect(forced.maxRows).toBe(50_000);
    expect(forced.limitedBy).toBe('forced');
    expect(forced.message).toContain('the row limit is set to 50,000');
  });
});

describe('a sample of a column of distinct values', () => {
  it('keeps the levels of the sample, not of every row read, and still equals reading those rows', async () => {
    const { CsvReader } = await import('../../../src/core/data/csv-reader.ts');
    const rows = 60_000;
    const lines = ['id,name,x'];
    for (let i = 0; i < rows; i++) lines.push(`${i},person number ${(i * 7919) % 100_003},${(i % 13) / 4}`);
    const text = lines.join('\n') + '\n';
    const reader = new CsvReader({ raggedRows: 'keep', notes: [], sample: { maxRows: 1000, seed: 5 } });
    let most = 0;
    for (let at = 0; at < text.length; at += 50_000) {
      reader.push(text.slice(at, at + 50_000));
      most = Math.max(most, reader.builders[1]?.levels.length ?? 0);
    }
    reader.end();
    // The reservoir stores about 1000 · (1 + ln 60) ≈ 5,100 rows in all; unused levels go at 4,000.
    expect(most).toBeLessThanOrEqual(4000 + 100);
    const sampled = await ingestCsv(text, { maxRows: 1000, sampleSeed: 5 });
    const expected = await ingestCsv(reservoirLines(text, 1000, 5));
    expect(isDeepStrictEqual(frameOf(sampled), frameOf(expected))).toBe(true);
  });
});

describe('a sample stratified by the target', () => {
  const classCounts = (r: IngestResult, column: string) => {
    const c = r.frame.columns.find((x) => x.name === column)!;
    const out = new Map<string, number>();
    if (c.storage === 'categorical') for (const code of c.codes) out.set(code < 0 ? '' : c.levels[code], (out.get(code < 0 ? '' : c.levels[code]) ?? 0) + 1);
    else for (const v of c.values) out.set(String(v), (out.get(String(v)) ?? 0) + 1);
    return out;
  };

  for (const [name, target, k] of [
    ['adult.csv', 'income', 3001],
    ['bank_marketing.csv', 'y', 2500],
    ['titanic.csv', 'Survived', 301],
  ] as const) {
    it(`${name}: each ${target} value keeps its share of the file, by largest remainder, in the sample's exact size`, async () => {
      const bytes = read(name);
      const all = await ingestCsv(bytes);
      const sampled = await ingestCsv(chunked(bytes, 100_000), { maxRows: k, sampleSeed: 7, stratifyBy: target });
      expect(sampled.sample).toEqual({ totalRows: all.frame.rows, keptRows: k, seed: 7, method: 'stratified reservoir', stratifiedBy: target });
      expect(sampled.frame.rows).toBe(k);
      const full = classCounts(all, target);
      const got = classCounts(sampled, target);
      let remainders = 0;
      for (const [value, n] of full) {
        const quota = (k * n) / all.frame.rows;
        // Every class gets the floor or the ceiling of its quota (no shortfall at these sizes).
        expect(got.get(value) ?? 0).toBeGreaterThanOrEqual(Math.floor(quota));
        expect(got.get(value) ?? 0).toBeLessThanOrEqual(Math.ceil(quota));
        remainders += (got.get(value) ?? 0) - Math.floor(quota);
      }
      expect(remainders).toBe(k - [...full.values()].reduce((a, n) => a + Math.floor((k * n) / all.frame.rows), 0));
      const note = sampled.notes.find((n) => n.kind === 'sample');
      expect(note?.message).toContain(`stratified by "${target}"`);
      // The same sample whether the reader or papaparse splits the chunks, and from the same seed.
      const viaPapa = await ingestCsv(chunked(bytes, 100_000), { maxRows: k, sampleSeed: 7, stratifyBy: target, plainSplit: false });
      expect(isDeepStrictEqual(frameOf(viaPapa), frameOf(sampled))).toBe(true);
    });
  }

  it('a column with too many values (a continuous target) is sampled uniformly, and says so', async () => {
    const bytes = read('adult.csv');
    const sampled = await ingestCsv(bytes, { maxRows: 2000, sampleSeed: 3, stratifyBy: 'fnlwgt' });
    expect(sampled.frame.rows).toBe(2000);
    expect(sampled.sample?.method).toBe('uniform reservoir');
    expect(sampled.sample?.stratifiedBy).toBeUndefined();
    expect(sampled.notes.find((n) => n.kind === 'sample')?.message).toContain('more than 1,000 distinct values');
  });

  it('a file with fewer rows than the sample plus its margin is still cut to the sample size, and a smaller file is read whole', async () => {
    const bytes = read('titanic.csv');
    const all = await ingestCsv(bytes);
    const cut = await ingestCsv(bytes, { maxRows: all.frame.rows - 10, stratifyBy: 'Survived' });
    expect(cut.frame.rows).toBe(all.frame.rows - 10);
    expect(cut.sample?.method).toBe('stratified reservoir');
    const whole = await ingestCsv(bytes, { maxRows: all.frame.rows, stratifyBy: 'Survived' });
    expect(whole.sample).toBeUndefined();
    expect(isDeepStrictEqual(frameOf(whole), frameOf(all))).toBe(true);
  });
});

describe('allocateStrata', () => {
  it('gives largest-remainder shares, and what a short stratum lacks to the others', async () => {
    const { allocateStrata } = await import('../../../src/core/data/reservoir.ts');
    expect(allocateStrata(10, [50, 30, 20], [100, 100, 100])).toEqual([5, 3, 2]);
    expect(allocateStrata(10, [55, 25, 20], [100, 100, 100])).toEqual([6, 2, 2]); // 5.5, 2.5, 2 → the tie goes to the first
    expect(allocateStrata(10, [50, 30, 20], [100, 1, 100])).toEqual([6, 1, 3]); // the 2 short go 50:20 → 6.43, 2.57
    expect(allocateStrata(10, [50, 50], [3, 4])).toEqual([3, 4]);
  });
});
