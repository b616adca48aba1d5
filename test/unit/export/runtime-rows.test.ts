/**
 * predict.mjs's input handling, on a bundle whose model reads a number, a category, a boolean and a
 * date column: the JSON Schema, every kind of validation error (row, column, reason), the forms a
 * cell may take, and missing / unseen values predicted exactly as Sieve's own pipeline does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitFinalModel, type FinalModel } from '../../../src/core/automl/model.ts';
import { resolveProject } from '../../../src/core/automl/project.ts';
import type { ResolvedProject } from '../../../src/core/automl/types.ts';
import type { Frame } from '../../../src/core/data/frame.ts';
import { profileFrame } from '../../../src/core/data/profile.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { cat, frame as makeFrame, num } from '../../helpers/frames.ts';
import { useWasmBackend } from '../models/tf-setup.ts';
import { exportAndImport, type PredictModule } from './fixtures.ts';

useWasmBackend();

const DAY = 86_400_000;

function churnFrame(n: number): Frame {
  const rng = new Rng(11);
  const age: (number | null)[] = [];
  const city: (string | null)[] = [];
  const member: (string | null)[] = [];
  const joined: (number | null)[] = [];
  const churn: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = 18 + Math.floor(rng.next() * 60);
    const c = ['Oslo', 'Paris', 'Rome'][Math.floor(rng.next() * 3)];
    const m = rng.next() < 0.5;
    const d = Date.UTC(2020, 0, 1) + Math.floor(rng.next() * 700) * DAY;
    age.push(rng.next() < 0.1 ? null : a);
    city.push(rng.next() < 0.05 ? null : c);
    member.push(m ? 'Yes' : 'No');
    joined.push(d);
    const score = (a - 45) / 15 + (c === 'Rome' ? 1 : 0) - (m ? 1.2 : 0) + (d > Date.UTC(2021, 0, 1) ? 0.8 : 0) + rng.normal() * 0.5;
    churn.push(score > 0 ? 'yes' : 'no');
  }
  return makeFrame(num('age', age), cat('city', city), cat('member', member, 'boolean', ['No', 'Yes']), num('joined', joined, 'datetime'), cat('churn', churn));
}

const frame = churnFrame(300);
let project: ResolvedProject;
let sieveModel: FinalModel;
let mod: PredictModule;
let dir: string;
let cleanup: () => void;
let model: Awaited<ReturnType<PredictModule['loadModel']>>;

beforeAll(async () => {
  ({ project } = resolveProject(frame, { target: 'churn' }));
  const trainRows = Int32Array.from({ length: 240 }, (_, i) => i);
  sieveModel = await fitFinalModel(frame, {
    target: 'churn',
    task: project.task,
    classes: project.classes,
    trainRows,
    seed: 1,
    members: [
      { family: 'gbdt', params: { max_iter: 30 }, weight: 0.5, features: project.features },
      { family: 'linear', params: {}, weight: 0.5, features: project.features },
    ],
  });
  const f = {
    data: { name: 'churn', frame, profile: profileFrame(frame), bytes: new Uint8Array([1, 2, 3]), target: 'churn', exclude: [] },
    project,
    model: sieveModel,
    searchRows: trainRows,
    testRows: Int32Array.from({ length: 60 }, (_, i) => 240 + i),
  };
  ({ mod, dir, cleanup } = await exportAndImport(f));
  model = await mod.loadModel();
});
afterAll(() => cleanup?.());

const good = { age: 30, city: 'Paris', member: 'Yes', joined: '2021-06-01' };

describe('the input schema', () => {
  it('lists every input column with its type, levels and the required keys', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(dir, 'schema.json'), 'utf8'));
    expect(model.schema).toEqual(schema);
    expect(schema.required).toEqual(['age', 'city', 'member', 'joined']);
    expect(schema.properties.age.type).toEqual(['number', 'null']);
    expect(schema.properties.joined).toMatchObject({ type: ['string', 'null'], format: 'date-time' });
    expect(schema.properties.city.anyOf[0].enum).toEqual(['Oslo', 'Paris', 'Rome']);
    expect(schema.properties.member.anyOf).toEqual([{ type: 'boolean' }, { enum: ['No', 'Yes'] }, { type: 'null' }]);
    expect(schema.properties.age.description).toMatch(/Missing in \d+\.\d % of the training rows/);
  });
});

describe('validation', () => {
  it('names the row, the column and what was wrong', () => {
    const errors = model.validate([
      good,
      { city: 'Oslo', member: 'No', joined: '2021-01-01' },
      { ...good, age: 'abc' },
      42,
      { ...good, joined: 'yesterday', member: 'maybe' },
      { ...good, city: { name: 'Oslo' } },
      { ...good, age: Infinity },
    ]);
    expect(errors.map((e) => e.message)).toEqual([
      'row 2: missing column "age" (give null for a missing value)',
      'row 3, column "age": expected a number, got "abc"',
      'row 4: expected an object keyed by column name, got 42',
      'row 5, column "member": expected true or false (or "Yes" / "No"), got "maybe"',
      'row 5, column "joined": expected a date-time like "2021-03-04" or "2021-03-04T10:22:00Z", got "yesterday"',
      'row 6, column "city": expected a string, got an object',
      'row 7, column "age": expected a finite number, got Infinity',
    ]);
    expect(errors[1]).toMatchObject({ row: 3, column: 'age' });
  });

  it('predict throws an InputError listing every bad row; score scores the others', () => {
    const rows = [good, { ...good, age: 'abc' }, { ...good, age: 41 }, null];
    let thrown: unknown;
    try {
      model.predict(rows);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).name).toBe('InputError');
    expect((thrown as Error).message).toMatch(/^2 rows cannot be scored: row 2, column "age": expected a number, got "abc"; row 4: expected an object/);
    expect((thrown as { errors: unknown[] }).errors).toHaveLength(2);
    const { predictions, errors } = model.score(rows);
    expect(errors.map((e) => e.row)).toEqual([2, 4]);
    expect(predictions[1]).toBeNull();
    expect(predictions[3]).toBeNull();
    expect([predictions[0], predictions[2]]).toEqual(model.predict([good, { ...good, age: 41 }]));
    expect(model.predict(good)).toEqual(model.predict([good]));
  });
});

describe('cell forms', () => {
  const same = (rows: object[]) => {
    const out = model.predict(rows);
    for (const p of out) expect(p).toEqual(out[0]);
  };
  it('reads numbers given as strings, as a CSV cell would be', () => same([good, { ...good, age: '30' }, { ...good, age: ' 30 ' }, { ...good, age: '3e1' }]));
  it('treats null, "", NaN and CSV missing markers as missing', () =>
    same([
      { ...good, age: null },
      { ...good, age: '' },
      { ...good, age: NaN },
      { ...good, age: 'NA' },
      { ...good, age: undefined },
    ]));
  it('reads booleans as true/false, the training words in any case, or 1/0', () =>
    same([good, { ...good, member: true }, { ...good, member: 'yes' }, { ...good, member: 1 }, { ...good, member: ' YES ' }]));
  it('reads dates as ISO strings, Dates or epoch milliseconds', () =>
    same([
      good,
      { ...good, joined: '2021-06-01T00:00:00Z' },
      { ...good, joined: new Date(Date.UTC(2021, 5, 1)) },
      { ...good, joined: Date.UTC(2021, 5, 1) },
      { ...good, joined: '06/01/2021' },
    ]));
  it('ignores extra keys (the target, identifiers)', () => same([good, { ...good, churn: 'yes', id: 17 }]));
});

describe('missing and unseen values', () => {
  it('are predicted exactly as Sieve predicts them', async () => {
    const rows = [
      { age: null, city: 'Atlantis', member: null, joined: null },
      { age: 95, city: null, member: 'No', joined: '2030-01-01' },
      { age: 52, city: 'Rome', member: 'Yes', joined: '2019-05-05T12:30:00Z' },
    ];
    const f = makeFrame(
      num('age', [null, 95, 52]),
      cat('city', ['Atlantis', null, 'Rome']),
      cat('member', [null, 'No', 'Yes'], 'boolean', ['No', 'Yes']),
      num('joined', [null, Date.UTC(2030, 0, 1), Date.UTC(2019, 4, 5, 12, 30)], 'datetime'),
    );
    const expected = await sieveModel.predictRows(f);
    const raw = model.predictRaw(rows);
    Array.from(expected.proba!).forEach((p, i) => expect(raw.proba![i]).toBeCloseTo(p, 12));
  });
});

describe('loadModel', () => {
  it('loads from a path, a file URL, bytes, text and an object', async () => {
    const file = path.join(dir, 'model.json');
    const text = fs.readFileSync(file, 'utf8');
    const expected = model.predict([good]);
    for (const source of [file, pathToFileURL(file), pathToFileURL(file).href, new Uint8Array(fs.readFileSync(file)), text, JSON.parse(text)]) {
      expect((await mod.loadModel(source)).predict([good])).toEqual(expected);
    }
  });

  it('refuses an edited model, an unknown format and a newer version, with the reason', async () => {
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const edited = structuredClone(json);
    edited.model.members[0].weight = 0.9;
    await expect(mod.loadModel(edited)).rejects.toThrow(/does not match its recorded SHA-256/);
    expect((await mod.loadModel(edited, { verify: false })).classes).toEqual(['no', 'yes']);
    await expect(mod.loadModel({ ...json, version: 2 })).rejects.toThrow(/version 2; this predictor reads version 1 \(the bundle comes from a newer Sieve/);
    await expect(mod.loadModel({ format: 'something-else' })).rejects.toThrow(/not a Sieve model file/);
    await expect(mod.loadModel('{"format": ')).rejects.toThrow(/not valid JSON/);
    await expect(mod.loadModel(path.join(dir, 'nope.json'))).rejects.toThrow(/cannot read the model file/);
  });
});
