/** The small pieces on their own: number fast path, radix sort, UTF-8 decoding, delimiter and date parsing. */
import { describe, expect, it } from 'vitest';
import { ByteDecoder, decodeWindows1252, firstInvalidUtf8 } from '../../../src/core/data/decode.ts';
import { NO_DELIMITER, detectDelimiter, detectNewline } from '../../../src/core/data/delimiter.ts';
import { dateValue, splitDate } from '../../../src/core/data/datetime.ts';
import { sortFloat64 } from '../../../src/core/data/sort.ts';
import { booleanPair, parseNumberBytes, parseNumberFast, parseNumberSpan, reinterpretSeparatedNumbers } from '../../../src/core/data/tokens.ts';
import { summarizeSorted } from '../../../src/core/data/stats.ts';
import { Rng } from '../../../src/core/util/random.ts';

describe('parseNumberFast', () => {
  it('agrees with Number() on plain decimals, rejects everything else', () => {
    const ok = [
      '0',
      '-0',
      '7',
      '+7',
      '3.14',
      '-2.5',
      '.5',
      '5.',
      '1e3',
      '1E-3',
      '-1.5e+10',
      '123456789012345',
      '1234567890123456789',
      '0.1',
      '9007199254740993',
    ];
    for (const s of ok) expect(Object.is(parseNumberFast(s), Number(s)), s).toBe(true);
    const bad = ['', '-', '+', '.', 'e5', '1e', '1e+', '0x1F', 'Infinity', 'NaN', '1,5', '1 000', '12a', '--1', '1.2.3', '007', '020', '-05'];
    for (const s of bad) expect(parseNumberFast(s), s).toBeNaN();
  });

  it('is exact for random decimals with up to 15 digits', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 20_000; i++) {
      const digits = 1 + rng.int(15);
      const s = (rng.next() * 10 ** rng.int(8)).toFixed(rng.int(8)).slice(0, digits + 1);
      const t = rng.next() < 0.3 ? `-${s}` : s;
      if (/^-?0\d/.test(t)) continue;
      expect(parseNumberFast(t), t).toBe(Number(t));
    }
  });
});

describe('parseNumberSpan and parseNumberBytes (the reader reads cells in place)', () => {
  it('give parseNumberFast of the slice, whatever surrounds the span', () => {
    const rng = new Rng(11);
    const pieces = ['0', '1', '7', '9', '-', '+', '.', 'e', 'E', ' ', 'x', '00', '12345678', '1e5', ','];
    const enc = new TextEncoder();
    for (let i = 0; i < 20_000; i++) {
      const parts = Array.from({ length: 1 + rng.int(6) }, () => pieces[rng.int(pieces.length)]);
      const cell = parts.join('');
      // Digits around the span: a reader that looked past its end or start would read them.
      const before = rng.next() < 0.5 ? '9' : '-';
      const text = `${before}${cell}${rng.next() < 0.5 ? '5' : 'e'}`;
      const start = 1;
      const end = 1 + cell.length;
      const expected = parseNumberFast(cell);
      expect(Object.is(parseNumberSpan(text, start, end), expected), cell).toBe(true);
      expect(Object.is(parseNumberBytes(enc.encode(text), text, start, end), expected), cell).toBe(true);
    }
  });
});

describe('sortFloat64', () => {
  it('sorts like the built-in sort (negatives, zeros, infinities, subnormals, integers)', () => {
    const rng = new Rng(2);
    const special = [0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1, -1];
    for (const n of [10, 5000, 70_000]) {
      for (const gen of [() => rng.normal() * 1e6, () => rng.int(50), () => special[rng.int(special.length)]]) {
        const a = Float64Array.from({ length: n }, gen);
        const expected = a.slice().sort();
        const got = sortFloat64(a.slice());
        expect(Array.from(got).map((v) => (v === 0 ? 0 : v))).toEqual(Array.from(expected).map((v) => (v === 0 ? 0 : v)));
      }
    }
  });

  it('sorts decimals of few places (counted) bit for bit like the built-in sort, and the rest by radix', () => {
    const rng = new Rng(3);
    const n = 20_000;
    const gens: (() => number)[] = [
      () => Number((rng.normal() * 2).toFixed(3)), // counted at 10^3
      () => Number((rng.next() * 100).toFixed(2)), // counted at 10^2
      () => Number((rng.normal() * 1e4).toFixed(3)), // too wide a range to count: radix
      () => (rng.next() < 0.999 ? Number(rng.next().toFixed(3)) : rng.next()), // one value of many places: radix
      () => (rng.next() < 0.999 ? Number(rng.next().toFixed(2)) : Infinity),
      () => Date.UTC(2015, 0, 1) + rng.int(3650) * 86_400_000, // dates at midnight: counted on their 1-day grid
      () => 5 + 7 * rng.int(30_000) - (rng.next() < 0.001 ? 1 : 0), // one value off the grid: radix
      () => -(2 ** 40) + 3 * rng.int(1000),
    ];
    for (const gen of gens) {
      const a = Float64Array.from({ length: n }, gen);
      const expected = a.slice().sort();
      const got = sortFloat64(a.slice());
      for (let i = 0; i < n; i++) if (!Object.is(got[i], expected[i]) && !(got[i] === 0 && expected[i] === 0)) expect(got[i]).toBe(expected[i]);
    }
  });
});

describe('summarizeSorted', () => {
  it('histogram counts are what binning every value gives', () => {
    const rng = new Rng(4);
    for (const gen of [() => rng.normal(), () => rng.int(7), () => Number(rng.next().toFixed(1)), () => rng.next() ** 8]) {
      const sorted = sortFloat64(Float64Array.from({ length: 5000 }, gen));
      const { edges, counts } = summarizeSorted(sorted).histogram;
      const bins = edges.length - 1;
      const width = (edges[bins] - edges[0]) / bins;
      const expected = new Array<number>(bins).fill(0);
      for (const v of sorted) {
        const b = Math.floor((v - edges[0]) / width);
        expected[b < 0 ? 0 : b >= bins ? bins - 1 : b]++;
      }
      expect(counts).toEqual(expected);
    }
  });
});

describe('decoding', () => {
  it('the streaming decoder reassembles multi-byte characters split at any byte', () => {
    const text = 'é,日本,🙂,naïve\n';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new ByteDecoder([]);
      const out = d.push(bytes.slice(0, cut)) + d.push(bytes.slice(cut)) + d.end();
      expect(out, `cut at ${cut}`).toBe(text);
      expect(d.encoding).toBe('utf-8');
    }
  });

  it('finds the first invalid UTF-8 byte (overlong, surrogate, truncated, bad continuation)', () => {
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0xc3, 0xa9, 0x42]))).toBe(4);
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0xc0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0x42, 0xe6, 0x97]))).toBe(2);
    expect(firstInvalidUtf8(new Uint8Array([0xe9, 0x41]))).toBe(0);
  });

  it("windows-1252 maps 0x80–0x9F to the right characters (Node's TextDecoder does not)", () => {
    expect(decodeWindows1252(new Uint8Array([0x80, 0x93, 0x94, 0x99, 0xe9, 0x41]))).toBe('€“”™éA');
    const big = new Uint8Array(20_000).fill(0x9c);
    expect(decodeWindows1252(big)).toBe('œ'.repeat(20_000));
  });

  it('a BOM is stripped once, at the start only', () => {
    const d = new ByteDecoder([]);
    const bom = [0xef, 0xbb, 0xbf];
    expect(d.push(new Uint8Array([...bom, 0x61, ...bom]))).toBe('a\uFEFF');
  });
});

describe('delimiter and line-break detection', () => {
  it('picks the consistent delimiter, quote-aware', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n', true)).toBe(',');
    expect(detectDelimiter('a;b\n"x;y";2\n3;4\n', true)).toBe(';');
    expect(detectDelimiter('a\tb|c\n1\t2|3\n', true)).toBe('\t');
    expect(detectDelimiter('name\nLyon, France\n', true)).toBe(NO_DELIMITER);
    expect(detectDelimiter('', true)).toBe(NO_DELIMITER);
  });

  it('line breaks: first one outside quotes', () => {
    expect(detectNewline('a,"x\ny"\r\n1,2\r\n')).toBe('\r\n');
    expect(detectNewline('a\rb\r')).toBe('\r');
    expect(detectNewline('a,b')).toBe('\n');
  });
});

describe('tokens', () => {
  it('separated numbers: all or nothing, only when unambiguous', () => {
    expect(reinterpretSeparatedNumbers(['1,234', '12,345,678'], () => false)).toEqual({ style: 'grouped', values: [1234, 12345678] });
    expect(reinterpretSeparatedNumbers(['1,234'], () => true)).toEqual({ style: 'grouped', values: [1234] });
    expect(reinterpretSeparatedNumbers(['1,234', '2,500'], () => false)).toBeNull();
    expect(reinterpretSeparatedNumbers(['1,5', '2,25'], () => false)).toEqual({ style: 'decimal-comma', values: [1.5, 2.25] });
    expect(reinterpretSeparatedNumbers(['1,5', 'abc'], () => false)).toBeNull();
    expect(reinterpretSeparatedNumbers(['1,5', '2,25'], () => true)).toBeNull();
  });

  it('boolean pairs, false level first', () => {
    expect(booleanPair(['Yes', 'No'])).toEqual({ falseLevel: 'No', trueLevel: 'Yes' });
    expect(booleanPair(['t', 'F'])).toEqual({ falseLevel: 'F', trueLevel: 't' });
    expect(booleanPair(['yes', 'n'])).toBeNull();
    expect(booleanPair(['0', '1'])).toBeNull();
  });

  it('dates split and validate', () => {
    expect(dateValue(splitDate('2024-02-29T23:59:59.999Z')!, 'iso')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(dateValue(splitDate('2023-02-29')!, 'iso')).toBeNaN();
    expect(dateValue(splitDate('2021-06-01T12:00-05:30')!, 'iso')).toBe(Date.UTC(2021, 5, 1, 17, 30));
    expect(splitDate('1/2/21')).toBeNull();
    expect(splitDate('2021')).toBeNull();
  });
});
