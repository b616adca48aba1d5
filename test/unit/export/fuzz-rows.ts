/**
 * Random request bodies for the odd-names bundle (odd-names.ts), as JSON text: built as text so that
 * "__proto__" arrives as an own key, as it does in a request body parsed with JSON.parse. Cells are
 * wrong types, NaN / Infinity strings, CSV missing markers, long digit runs, odd Unicode, nested
 * values; rows miss keys, carry extra ones ("__proto__", "constructor", "valueOf"...), or are not
 * objects at all.
 */
import fc from 'fast-check';
import { LONG_NAME, ODD_NAMES } from './odd-names.ts';

// A computed key: a literal `__proto__: ...` would set the prototype, not a key.
const BASE: Record<string, string> = {
  ['__proto__']: '4.5',
  constructor: '"red"',
  toString: '"Yes"',
  hasOwnProperty: '12',
  when: '"2020-06-01"',
  [LONG_NAME]: '0.5',
};

/** Object text from [key, JSON text] pairs, in order (a repeated key: JSON.parse keeps the last). */
function objectText(entries: [string, string][]): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

/** A valid row's JSON text; `over` replaces or adds cells, each given as JSON text (write "__proto__" as a computed key). */
export function good(over: Record<string, string> = {}): string {
  const entries: [string, string][] = ODD_NAMES.map((k) => [k, Object.prototype.hasOwnProperty.call(over, k) ? over[k] : BASE[k]]);
  for (const k of Object.keys(over)) if (!ODD_NAMES.includes(k)) entries.push([k, over[k]]);
  return objectText(entries);
}

const json = (v: unknown): string => JSON.stringify(v);

/** One cell as JSON text. */
export const cellText: fc.Arbitrary<string> = fc.oneof(
  fc.double().map((d) => (Number.isFinite(d) ? json(d) : json(String(d)))),
  fc.integer().map(json),
  fc.constantFrom(
    '"NaN"',
    '"Infinity"',
    '"-Infinity"',
    '"1e309"',
    '"-0"',
    '" 12 "',
    '""',
    '"NA"',
    '"?"',
    '"null"',
    '"0x1A"',
    '"1_000"',
    '"1,5"',
    '"1e"',
    '"."',
    '"+.5"',
    '"2021-02-30"',
    '"2021-03-04T10:22:00+05:30"',
    '"13/13/2020"',
    '"04/03/2021"',
    '"yes"',
    '"TRUE"',
    '"n"',
    '"Yes "',
    '"red"',
    '"green"',
    'true',
    'false',
    'null',
    '[]',
    '{}',
    '1e400',
    '-1e400',
    '0',
    '-0',
  ),
  fc.string({ maxLength: 80 }).map(json),
  fc.string({ unit: 'binary', maxLength: 80 }).map(json),
  fc.integer({ min: 1, max: 20_000 }).map((n) => json(`${'7'.repeat(n)}x`)),
  fc.integer({ min: 1, max: 20_000 }).map((n) => json(`1${' '.repeat(n)}x`)),
  fc.jsonValue({ maxDepth: 3 }).map(json),
  fc.integer({ min: 1, max: 5000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
);

const keyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ODD_NAMES, '__proto__', 'constructor', 'prototype', 'valueOf', 'toJSON', 'y', ''),
  fc.string({ maxLength: 20 }),
);

/** One row: mostly objects near the schema (cells dropped, replaced, added), sometimes not an object. */
export const rowText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.array(fc.tuple(fc.constantFrom(...ODD_NAMES), fc.option(cellText, { nil: undefined })), { maxLength: 3 }),
        fc.array(fc.tuple(keyText, cellText), { maxLength: 3 }),
        fc.subarray([...ODD_NAMES]),
      )
      .map(([changes, extra, drop]) => {
        const over = new Map<string, string | undefined>(changes);
        const entries: [string, string][] = [];
        for (const k of ODD_NAMES) {
          if (drop.length < ODD_NAMES.length && drop.includes(k) && drop.length <= 2) continue;
          const v = over.has(k) ? over.get(k) : BASE[k];
          if (v !== undefined) entries.push([k, v]);
        }
        return objectText([...entries, ...extra]);
      }),
  },
  { weight: 1, arbitrary: cellText },
);

/** A request body: an array of rows, usually. */
export function fuzzRowsText(maxRows = 30): fc.Arbitrary<string> {
  return fc.array(rowText, { maxLength: maxRows }).map((rows) => `[${rows.join(',')}]`);
}
