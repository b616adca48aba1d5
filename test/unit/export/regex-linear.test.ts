/**
 * Every pattern that runs on user data runs in linear time (issue #12, ReDoS). The number pattern
 * /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/ of the row validator and the CSV writer backtracked
 * quadratically (40,000 digits and an "x": 2 s; a 1 MB cell: hours); it is a scan now. Here each
 * function that matches user text (cells, names, paths, tokens) gets 1 MB adversarial strings —
 * long digit runs before a letter, long runs of blanks, repeated separators, near-miss dates and
 * numbers — and must finish each in well under a second. The worst time is printed (goal: 100 ms).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { splitDate } from '../../../src/core/data/datetime.ts';
import { booleanPair, isZeroPadded, parseNumberFast, reinterpretSeparatedNumbers } from '../../../src/core/data/tokens.ts';
import { csvLine, neutralizeCell, predictionsCsv } from '../../../src/core/export/csv-out.ts';
import { loadModel, loadModelSync } from '../../../src/core/export/runtime/load.ts';
import { clipText, describe as describeValue, quoteName } from '../../../src/core/export/runtime/message-text.ts';
import { isPlainNumber } from '../../../src/core/export/runtime/plain-number.ts';
import { rowsToFrame } from '../../../src/core/export/runtime/rows-to-frame.ts';
import type { InputSchema } from '../../../src/core/export/runtime/types.ts';
import { hashCounts, tokenize } from '../../../src/core/prep/text-hash.ts';
import { ingestText } from '../data/helpers.ts';

const MB = 1_000_000;
const r = (s: string, n: number): string => s.repeat(Math.ceil(n / s.length)).slice(0, n);

/** 1 MB strings built to make a backtracking pattern try every split. */
const ADVERSARIAL: Record<string, string> = {
  'digits then x': `${r('1', MB)}x`,
  'signed digits then x': `-${r('9', MB)}x`,
  'zeros then x': `-0${r('0', MB)}x`,
  'digits, dot, digits, x': `${r('1', MB / 2)}.${r('1', MB / 2)}x`,
  'digits then e then x': `1e${r('1', MB)}x`,
  dots: r('.', MB),
  'digit-dot pairs': r('1.', MB),
  'blanks then x': `${r(' ', MB)}x`,
  'tabs and blanks then x': `1${r('\t ', MB)}x`,
  'grouped thousands then x': `1${r(',000', MB)}x`,
  'grouped thousands then .x': `1${r(',000', MB)}.x`,
  commas: r(',', MB),
  'digit-comma pairs': r('1,', MB),
  'date then blanks then x': `2021-01-01T10:22${r(' ', MB)}x`,
  slashes: r('1/', MB),
  'formula start then digits': `=${r('1', MB)}x`,
  'plus then digits then e': `+${r('1', MB)}e`,
  'letters then colon-less scheme': r('a', MB),
  'letters and digits': r('a1', MB),
  words: r('ab ', MB),
  'accented word': r('é', MB),
  'quotes and line breaks': r('"\r\n', MB),
  'control characters': r('\u0001', MB),
  'lone surrogates': r('\ud800', MB),
};

const times: { name: string; ms: number }[] = [];

/**
 * Runs fn once and checks its time: a backtracking pattern on these strings takes minutes to hours,
 * so the limit is loose enough for a busy shared machine (2 cores) and still catches that.
 */
function timed(name: string, fn: () => unknown, limitMs = 500): void {
  const t = performance.now();
  fn();
  const ms = performance.now() - t;
  times.push({ name, ms });
  expect(ms, name).toBeLessThan(limitMs);
}

afterAll(() => {
  const sorted = [...times].sort((a, b) => b.ms - a.ms);
  const show = (list: typeof times) => list.map((t) => `${t.ms.toFixed(1)} ms (${t.name})`).join(', ');
  const matching = sorted.filter((t) => !/^(hashCounts|ingestCsv|predictionsCsv|loadModel)/.test(t.name));
  console.log(
    `regex-linear: ${times.length} calls on 1 MB adversarial strings; slowest: ${show(sorted.slice(0, 5))}; slowest pattern matches: ${show(matching.slice(0, 5))}`,
  );
});

const SCHEMA: InputSchema = {
  columns: [
    { name: 'n', type: 'numeric' },
    { name: 'd', type: 'datetime' },
    { name: 'b', type: 'boolean', falseLevel: 'No', trueLevel: 'Yes' },
    { name: 'c', type: 'categorical' },
    { name: 't', type: 'text' },
  ],
};

describe('linear time on 1 MB adversarial strings', () => {
  for (const [name, s] of Object.entries(ADVERSARIAL)) {
    it(name, () => {
      timed(`isPlainNumber: ${name}`, () => isPlainNumber(s));
      timed(`rowsToFrame: ${name}`, () => rowsToFrame([{ n: s, d: s, b: s, c: s, t: s }], SCHEMA));
      timed(`neutralizeCell: ${name}`, () => neutralizeCell(s) + neutralizeCell(`-${s}`) + neutralizeCell(`=${s}`));
      timed(`csvLine: ${name}`, () => csvLine([s]));
      timed(`parseNumberFast: ${name}`, () => parseNumberFast(s));
      timed(`isZeroPadded: ${name}`, () => isZeroPadded(s));
      timed(`reinterpretSeparatedNumbers: ${name}`, () => reinterpretSeparatedNumbers([s, `1,5${s}`, `1,234${s}`], () => false));
      timed(`booleanPair: ${name}`, () => booleanPair([s, `${s}x`]));
      timed(`splitDate: ${name}`, () => splitDate(s));
      timed(`tokenize: ${name}`, () => tokenize(s));
      // Hashes every token (500,000 of them in "1,1,1,..."), one UTF-8 encoding each: linear, but the slowest here.
      timed(`hashCounts: ${name}`, () => hashCounts(s, 1024), 2000);
      timed(`message text: ${name}`, () => clipText(s) + quoteName(s) + describeValue(s));
    });
  }

  it('a CSV file of adversarial cells, through ingest and type inference', async () => {
    const cells = ['digits then x', 'grouped thousands then x', 'blanks then x', 'date then blanks then x', 'digit-comma pairs'].map((k) =>
      ADVERSARIAL[k].replace(/["\r\n]/g, ''),
    );
    const csv = `a,b\n${cells.map((c) => `"${c}",1`).join('\n')}\n`;
    const t = performance.now();
    const { frame } = await ingestText(csv);
    const ms = performance.now() - t;
    times.push({ name: 'ingestCsv: 5 rows of 1 MB cells', ms });
    expect(frame.rows).toBe(5);
    expect(ms).toBeLessThan(2000);
  });

  it('model sources: a 1 MB path-like string and 1 MB of JSON-ish text', async () => {
    const t = performance.now();
    await expect(loadModel(`${r('a', MB)}x`)).rejects.toThrow(/cannot read the model file/);
    expect(() => loadModelSync(`{${r(' ', MB)}`)).toThrow(/not valid JSON/);
    times.push({ name: 'loadModel: 1 MB source strings', ms: performance.now() - t });
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it('the scored CSV of rows whose cells are 1 MB near-numbers', () => {
    const header = ['x'];
    const rows = [ADVERSARIAL['formula start then digits'], ADVERSARIAL['plus then digits then e'], ADVERSARIAL['signed digits then x']];
    timed('predictionsCsv: 3 rows of 1 MB cells', () =>
      predictionsCsv({ header, cells: (i) => [rows[i]], rows: rows.length, predictions: rows.map(() => ({ value: 1 })), task: 'regression', classes: [] }),
    );
  });
});

describe('the number scan', () => {
  // The old pattern without its ambiguity (`\d+(?:\.\d*)?` splits a digit run one way only): the same language.
  const REFERENCE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

  it('accepts exactly what the old pattern accepted', () => {
    const OLD = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
    const char = fc.constantFrom('0', '1', '9', '.', 'e', 'E', '+', '-', ' ', 'x', '٣', ',');
    fc.assert(
      fc.property(
        fc.array(char, { maxLength: 12 }).map((a) => a.join('')),
        (s) => {
          expect(isPlainNumber(s)).toBe(REFERENCE.test(s));
          expect(isPlainNumber(s)).toBe(OLD.test(s));
        },
      ),
      { seed: 4, numRuns: 20_000 },
    );
    for (const s of ['1', '-1', '+.5', '5.', '1e5', '1E-5', '.5e+3', '007', '1.5e3']) expect(isPlainNumber(s), s).toBe(true);
    for (const s of ['', '+', '.', '-.', 'e5', '1e', '1e+', '1.5.2', ' 1', '1 ', '0x10', '1_000', 'Infinity', 'NaN', '١'])
      expect(isPlainNumber(s), s).toBe(false);
  });
});
