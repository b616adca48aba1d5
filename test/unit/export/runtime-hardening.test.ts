/**
 * predict.mjs against hostile input (issue #12): column names that are Object.prototype members,
 * bounded error lists and messages, and a seeded fuzz of random rows (wrong types, NaN / Infinity
 * strings, missing and extra keys, "__proto__" / "constructor" keys, huge arrays, deep nesting)
 * that must give predictions or an InputError with a short message, never anything else.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../models/tf-setup.ts';
import type { PredictModule } from './fixtures.ts';
import { LONG_NAME, ODD_NAMES, oddNamesBundle } from './odd-names.ts';
import { fuzzRowsText, good } from './fuzz-rows.ts';

useWasmBackend();

let dir: string;
let cleanup: () => void;
let mod: PredictModule;
let model: Awaited<ReturnType<PredictModule['loadModel']>>;

beforeAll(async () => {
  ({ dir, mod, cleanup } = await oddNamesBundle());
  model = await mod.loadModel();
}, 60_000);
afterAll(() => cleanup?.());

const errorOf = (
  fn: () => unknown,
): (Error & { errors: { row: number; column?: string; message: string }[]; problems: number; badRows: number }) | undefined => {
  try {
    fn();
  } catch (err) {
    return err as never;
  }
  return undefined;
};

describe('column names that are Object.prototype members', () => {
  it('are all in schema.json, "__proto__" included', () => {
    expect(model.inputColumns).toEqual(ODD_NAMES);
    const schema = JSON.parse(fs.readFileSync(path.join(dir, 'schema.json'), 'utf8'));
    expect(Object.keys(schema.properties)).toEqual(ODD_NAMES);
    expect(schema.required).toEqual(ODD_NAMES);
    expect(Object.prototype.hasOwnProperty.call(schema.properties, '__proto__')).toBe(true);
    expect(schema.properties.__proto__.type).toEqual(['number', 'null']);
    expect(schema.properties.constructor.anyOf[0].enum).toEqual(['blue', 'green', 'red']);
    expect(Object.keys(JSON.parse(JSON.stringify(model.schema)).properties)).toEqual(ODD_NAMES);
  });

  it('are read from a row only as its own keys', () => {
    // JSON.parse makes "__proto__" an own key, as a request body would.
    const fromJson = JSON.parse(good());
    const expected = model.predict([fromJson]);
    expect(expected[0].label).toMatch(/^(hi|lo)$/);
    const nullProto = Object.assign(Object.create(null), fromJson);
    expect(model.predict([nullProto])).toEqual(expected);
    // A literal row lacking "__proto__" (the literal key sets the prototype instead): missing, not "an object".
    const { __proto__: _drop, ...rest } = fromJson;
    void _drop;
    expect(model.validate([rest]).map((e) => e.message)).toEqual(['row 1: missing column "__proto__" (give null for a missing value)']);
    expect(model.validate([{}]).map((e) => e.column)).toEqual(ODD_NAMES);
    expect(model.validate([JSON.parse(good({ ['__proto__']: '{}' }))]).map((e) => e.message)).toEqual([
      'row 1, column "__proto__": expected a number, got an object',
    ]);
    // Object.prototype's functions are not values; own keys that shadow them are. (Values a row
    // inherits from its own prototype, say a class's getters, do count.)
    expect(model.validate([Object.create({ constructor: 'red' })]).map((e) => e.column)).toEqual(ODD_NAMES.filter((n) => n !== 'constructor'));
    expect(model.validate([JSON.parse(good({ hasOwnProperty: '"7"', toString: 'true' }))])).toEqual([]);
  });
});

describe('bounded errors', () => {
  it('lists the first 100 problems of 10,000 empty rows and counts the rest', () => {
    const rows = Array.from({ length: 10_000 }, () => ({}));
    expect(model.validate(rows)).toHaveLength(100);
    const err = errorOf(() => model.predict(rows))!;
    expect(err.name).toBe('InputError');
    expect(err.errors).toHaveLength(100);
    expect(err.problems).toBe(10_000 * ODD_NAMES.length);
    expect(err.badRows).toBe(10_000);
    expect(err.message).toMatch(/^10000 rows cannot be scored: row 1: missing column "__proto__" .*; and 59997 more$/);
    expect(err.message.length).toBeLessThan(600);
    // score() still lists every problem: the CLI and the page report which rows failed.
    expect(model.score(rows).errors).toHaveLength(10_000 * ODD_NAMES.length);
  });

  it('quotes at most 60 characters of a value or a column name', () => {
    const huge = '9'.repeat(1_000_000) + 'x';
    const ctrl = '\u0001'.repeat(200);
    const errs = model.validate([JSON.parse(good({ ['__proto__']: JSON.stringify(huge), constructor: JSON.stringify(ctrl), [LONG_NAME]: '"abc"' }))]);
    expect(errs.map((e) => e.column)).toEqual(['__proto__', LONG_NAME]);
    for (const e of errs) expect(e.message.length).toBeLessThan(200);
    expect(errs[0].message).toBe(`row 1, column "__proto__": expected a number, got "${'9'.repeat(57)}..."`);
    // Cut after escaping: the quote and the line break count as the two characters JSON gives them.
    expect(errs[1].message).toBe(`row 1, column "long \\"name\\"\\n${'x'.repeat(42)}...": expected a number, got "abc"`);
    const objErr = model.validate([JSON.parse(good({ when: JSON.stringify({ a: huge }) }))]);
    expect(objErr[0].message).toBe('row 1, column "when": expected a date-time like "2021-03-04" or "2021-03-04T10:22:00Z", got an object');
  });

  it('keeps loadModel messages short whatever the file holds', async () => {
    await expect(mod.loadModel({ format: 'x'.repeat(1_000_000) })).rejects.toThrow(/^model\.json is not a Sieve model file \(format "x{57}\.\.\.", expected/);
    const err = await mod.loadModel(path.join(dir, 'y'.repeat(100_000))).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^cannot read the model file /);
    expect((err as Error).message.length).toBeLessThan(700);
  });
});

describe('fuzz: random rows through loadModel(...).predict', () => {
  it('gives predictions or an InputError with a bounded message, never anything else', () => {
    let cases = 0;
    let predicted = 0;
    let refused = 0;
    let longest = 0;
    const started = performance.now();
    fc.assert(
      fc.property(fuzzRowsText(), (text) => {
        cases++;
        const rows = JSON.parse(text);
        let out: unknown;
        try {
          out = model.predict(rows);
        } catch (err) {
          const e = err as Error & { errors: { message: string }[] };
          expect(e.name).toBe('InputError');
          expect(e.errors.length).toBeGreaterThan(0);
          expect(e.errors.length).toBeLessThanOrEqual(100);
          longest = Math.max(longest, e.message.length, ...e.errors.map((x) => x.message.length));
          expect(e.message.length).toBeLessThan(1200);
          for (const x of e.errors) expect(x.message.length).toBeLessThan(400);
          refused++;
          return;
        }
        const list = out as { label: string; probabilities: Record<string, number> }[];
        expect(list).toHaveLength(Array.isArray(rows) ? rows.length : 1);
        for (const p of list) expect(['hi', 'lo']).toContain(p.label);
        predicted++;
      }),
      { seed: 12, numRuns: 1000, interruptAfterTimeLimit: 30_000 },
    );
    const ms = performance.now() - started;
    console.log(`runtime fuzz: ${cases} cases (${predicted} predicted, ${refused} refused), longest message ${longest} chars, ${ms.toFixed(0)} ms, 0 crashes`);
    expect(cases).toBeGreaterThanOrEqual(1000);
    expect(predicted).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
  }, 60_000);

  it('copes with huge arrays and deep nesting in cells and in the row list', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const errs = model.validate(JSON.parse(`[${good({ constructor: deep, when: `{"a":${deep}}` })}]`));
    expect(errs.map((e) => e.message)).toEqual([
      'row 1, column "constructor": expected a string, got an array',
      'row 1, column "when": expected a date-time like "2021-03-04" or "2021-03-04T10:22:00Z", got an object',
    ]);
    const wide = model.validate([JSON.parse(good({ ['__proto__']: JSON.stringify(Array.from({ length: 100_000 }, (_, i) => i)) }))]);
    expect(wide[0].message).toBe('row 1, column "__proto__": expected a number, got an array');
    const many = Array.from({ length: 50_000 }, () => JSON.parse(good()));
    expect(model.predict(many)).toHaveLength(50_000);
  });
});
