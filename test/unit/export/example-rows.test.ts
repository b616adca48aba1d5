/**
 * The bundle's example rows (issue 12, item 7): synthetic by default, drawn from each column's range
 * and common levels, reproducible from the seed, and never equal to a training row, on real data sets
 * and on the corner cases (dates, booleans, free text, rare levels, a data set whose every combination
 * is taken). Real rows only when asked, and the model card says which.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cellText, type Frame } from '../../../src/core/data/frame.ts';
import { bundleFiles, zipBundle } from '../../../src/core/export/bundle.ts';
import { exampleRows, MIN_SHARED_ROWS, syntheticRows } from '../../../src/core/export/example-rows.ts';
import { readBundle } from '../../../src/core/export/read-bundle.ts';
import { frameRows } from '../../../src/core/export/rows.ts';
import { loadModelSync } from '../../../src/core/export/runtime/load.ts';
import type { Row } from '../../../src/core/export/runtime/types.ts';
import { cat, frame as makeFrame, num } from '../../helpers/frames.ts';
import { bundleInput, dataset, fit, type Fitted } from './fixtures.ts';

/** Every training row as one string over the input columns ('' for a missing cell). */
function trainingKeys(frame: Frame, inputs: readonly string[]): Set<string> {
  const cols = inputs.map((n) => frame.columns.find((c) => c.name === n)!);
  const keys = new Set<string>();
  for (let r = 0; r < frame.rows; r++) keys.add(cols.map((c) => cellText(c, r)).join('\u0000'));
  return keys;
}

const rowKey = (row: Row, inputs: readonly string[]) => inputs.map((n) => (row[n] === null ? '' : String(row[n]))).join('\u0000');

function inputsOf(name: string, frame: Frame, target: string, exclude: string[]): string[] {
  return frame.columns.map((c) => c.name).filter((n) => n !== target && !exclude.includes(n) && n !== name);
}

describe('synthetic example rows on real data sets', () => {
  for (const name of ['titanic', 'penguins', 'insurance', 'german_credit', 'iris', 'telco_churn']) {
    it(`${name}: no row is a training row; values in range, levels common ones`, async () => {
      const d = await dataset(name);
      const inputs = inputsOf('', d.frame, d.target, d.exclude);
      const rows = syntheticRows(d.frame, inputs, 40, 3);
      expect(rows).toHaveLength(40);
      const keys = trainingKeys(d.frame, inputs);
      for (const row of rows) {
        expect(Object.keys(row)).toEqual(inputs);
        expect(keys.has(rowKey(row, inputs))).toBe(false);
      }
      for (const name of inputs) {
        const col = d.frame.columns.find((c) => c.name === name)!;
        const values = rows.map((r) => r[name]).filter((v) => v !== null);
        if (col.storage === 'numeric') {
          const present = Array.from(col.values).filter((v) => !Number.isNaN(v));
          const [min, max] = [Math.min(...present), Math.max(...present)];
          for (const v of values) {
            expect(typeof v).toBe('number');
            expect(v as number).toBeGreaterThanOrEqual(min);
            expect(v as number).toBeLessThanOrEqual(max);
          }
          // Whole-number columns give whole numbers; others at most the data's decimals.
          if (present.every(Number.isInteger)) for (const v of values) expect(Number.isInteger(v)).toBe(true);
          const decimals = Math.max(...present.map((v) => (String(v).split('.')[1] ?? '').length));
          for (const v of values) expect((String(v).split('.')[1] ?? '').length).toBeLessThanOrEqual(decimals);
        } else {
          const counts = new Map<string, number>();
          for (const c of col.codes) if (c >= 0) counts.set(col.levels[c], (counts.get(col.levels[c]) ?? 0) + 1);
          const most = Math.max(...counts.values());
          for (const v of values) expect(counts.get(v as string)).toBeGreaterThanOrEqual(Math.min(MIN_SHARED_ROWS, most));
        }
      }
    });
  }

  it('the same seed gives the same rows, another seed others', async () => {
    const d = await dataset('titanic');
    const inputs = inputsOf('', d.frame, d.target, d.exclude);
    expect(syntheticRows(d.frame, inputs, 5, 7)).toEqual(syntheticRows(d.frame, inputs, 5, 7));
    expect(syntheticRows(d.frame, inputs, 5, 7)).not.toEqual(syntheticRows(d.frame, inputs, 5, 8));
  });

  it('real rows only when asked: the first rows of the file, as they are', async () => {
    const d = await dataset('titanic');
    const inputs = inputsOf('', d.frame, d.target, d.exclude);
    const real = exampleRows(d.frame, inputs, { count: 3, seed: 0, real: true });
    expect(real.source).toBe('real');
    expect(real.rows).toEqual(frameRows(d.frame, inputs, [0, 1, 2]));
    const synthetic = exampleRows(d.frame, inputs, { count: 3, seed: 0 });
    expect(synthetic.source).toBe('synthetic');
    expect(synthetic.rows).toHaveLength(3);
    expect(synthetic.rows).not.toEqual(real.rows);
  });
});

describe('synthetic example rows: column kinds and corner cases', () => {
  const n = 60;
  const day = 86_400_000;
  const start = Date.UTC(2020, 0, 1);
  const f = makeFrame(
    num(
      'when',
      Array.from({ length: n }, (_, i) => (i === 7 ? null : start + i * 3 * day)),
      'datetime',
    ),
    cat(
      'flag',
      Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 'Yes' : 'No')),
      'boolean',
      ['No', 'Yes'],
    ),
    cat(
      'note',
      Array.from({ length: n }, (_, i) =>
        i < 30 ? `late delivery box ${i === 0 ? 'secret-word' : 'damaged'}` : `on time ${i % 2 ? 'happy' : 'fine'} customer ${i}`,
      ),
      'text',
    ),
    cat(
      'city',
      Array.from({ length: n }, (_, i) => (i === 5 ? 'Tinyville' : i % 3 === 0 ? 'Oslo' : 'Bergen')),
    ),
    num(
      'amount',
      Array.from({ length: n }, (_, i) => 10 + ((i * 37) % 100) / 4),
    ),
  );
  const inputs = ['when', 'flag', 'note', 'city', 'amount'];
  let rows: Row[];
  beforeAll(() => {
    rows = syntheticRows(f, inputs, 30, 1);
  });

  it('dates: ISO 8601 whole days inside the data range', () => {
    const dates = rows.map((r) => r.when).filter((v): v is string => v !== null);
    expect(dates.length).toBeGreaterThan(20);
    for (const s of dates) {
      expect(s).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
      const t = Date.parse(s);
      expect(t).toBeGreaterThanOrEqual(start);
      expect(t).toBeLessThanOrEqual(start + (n - 1) * 3 * day);
    }
  });

  it("booleans and categories: the data's own words, never a level seen in fewer than 5 rows", () => {
    expect(new Set(rows.map((r) => r.flag))).toEqual(new Set(['No', 'Yes']));
    const cities = new Set(rows.map((r) => r.city));
    expect(cities.has('Tinyville')).toBe(false);
    expect([...cities].every((c) => c === 'Oslo' || c === 'Bergen')).toBe(true);
  });

  it('free text: words shared by at least 5 rows, never a whole value or a rare word', () => {
    const notes = rows.map((r) => r.note as string);
    const levels = new Set((f.columns[2] as { levels: string[] }).levels);
    for (const s of notes) {
      expect(levels.has(s)).toBe(false);
      expect(s).not.toMatch(/secret|\d/);
      for (const w of s.split(' ')) expect(['late', 'delivery', 'box', 'damaged', 'on', 'time', 'happy', 'fine', 'customer']).toContain(w);
    }
  });

  it("numbers: inside the 5–95 % range, at the data's precision (quarters here: at most two decimals)", () => {
    for (const r of rows) {
      expect(r.amount as number).toBeGreaterThanOrEqual(10);
      expect(r.amount as number).toBeLessThanOrEqual(34.75);
      expect(String(r.amount)).toMatch(/^\d+(\.\d{1,2})?$/);
    }
  });

  it('a data set whose every combination is taken gives fewer rows, never a training row', () => {
    const a = ['x', 'y', 'x', 'y', 'x', 'y', 'x', 'y', 'x', 'y', 'x', 'y'];
    const b = ['u', 'u', 'v', 'v', 'u', 'u', 'v', 'v', 'u', 'u', 'v', 'v'];
    const tiny = makeFrame(cat('a', a), cat('b', b));
    const out = syntheticRows(tiny, ['a', 'b'], 5, 0);
    expect(out).toEqual([]);
    // With a third column of numbers there is room: rows come back, none a training row.
    const wider = makeFrame(
      cat('a', a),
      cat('b', b),
      num(
        'c',
        a.map((_, i) => i),
      ),
    );
    const more = syntheticRows(wider, ['a', 'b', 'c'], 5, 0);
    expect(more.length).toBe(5);
    const keys = trainingKeys(wider, ['a', 'b', 'c']);
    for (const row of more) expect(keys.has(rowKey(row, ['a', 'b', 'c']))).toBe(false);
  });
});

describe("the bundle's example.csv and model card", () => {
  let f: Fitted;
  beforeAll(async () => {
    f = await fit('titanic', [{ family: 'naive_bayes', params: {}, weight: 1 }], 4);
  }, 60_000);

  const csvRows = (files: Record<string, Uint8Array>) => new TextDecoder().decode(files['example.csv']).trim().split('\r\n');
  const text = (files: Record<string, Uint8Array>, name: string) => new TextDecoder().decode(files[name]);

  it('holds synthetic rows by default, none of them a training row, and the card says so', async () => {
    const { files, modelFile } = bundleFiles(await bundleInput(f));
    const inputs = modelFile.input.columns.map((c) => c.name);
    const [header, ...lines] = csvRows(files);
    expect(header.split(',')).toEqual(inputs);
    expect(lines).toHaveLength(5);
    // The training rows as example.csv would write them.
    const cols = inputs.map((n) => f.data.frame.columns.find((c) => c.name === n)!);
    const training = new Set(Array.from({ length: f.data.frame.rows }, (_, r) => cols.map((c) => cellText(c, r)).join(',')));
    for (const line of lines) expect(training.has(line)).toBe(false);
    expect(text(files, 'README.md')).toMatch(
      /`example\.csv` and the snippets below hold 5 rows of \*\*synthetic\*\* example data, not records from the training data/,
    );
    expect(text(files, 'model-card.html')).toContain('<strong>synthetic</strong> example data');
    // The card's snippets use the first synthetic row.
    const first = lines[0].split(',');
    const snippetRow = JSON.parse(/const rows = \[\n {2}(\{[\s\S]*?\n {2}\})/.exec(text(files, 'README.md'))![1]) as Row;
    expect(inputs.map((n) => (snippetRow[n] === null ? '' : String(snippetRow[n])))).toEqual(first);
  });

  it('holds the first rows of the file with realExamples, and the card says they are real', async () => {
    const { files, modelFile } = bundleFiles(await bundleInput(f, { realExamples: true }));
    const inputs = modelFile.input.columns.map((c) => c.name);
    const cols = inputs.map((n) => f.data.frame.columns.find((c) => c.name === n)!);
    const [, ...lines] = csvRows(files);
    expect(lines).toEqual(
      Array.from({ length: 5 }, (_, r) =>
        cols
          .map((c) => cellText(c, r))
          .map((s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s))
          .join(','),
      ),
    );
    expect(text(files, 'README.md')).toMatch(/hold 5 rows of the training data, as they are: the exporter chose to include real rows/);
  });

  it('the model scores every synthetic row (they are valid input)', async () => {
    const zip = await zipBundle(bundleFiles(await bundleInput(f)));
    const read = readBundle(zip);
    const model = loadModelSync(read.modelFile);
    const { rows } = exampleRows(f.data.frame, model.inputColumns, { count: 20, seed: 4 });
    expect(rows).toHaveLength(20);
    const { predictions, errors } = model.score(rows);
    expect(errors).toEqual([]);
    expect(predictions.every((p) => p !== null)).toBe(true);
  });
});
