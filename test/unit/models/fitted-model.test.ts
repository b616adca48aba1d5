import { describe, expect, it } from 'vitest';
import { cellText, columnByName, type Frame } from '../../../src/core/data/frame.ts';
import { fitModel, FittedModel } from '../../../src/core/models/fitted-model.ts';
import { FAMILIES, familiesForTask, getFamily } from '../../../src/core/models/registry.ts';
import { FAMILY_NAMES, type FamilyName } from '../../../src/core/models/types.ts';
import { cat, frame, num } from '../../helpers/frames.ts';
import { useWasmBackend } from './tf-setup.ts';

useWasmBackend();

/** 120 rows: the label is "hi" when x + (color is red) is large. */
function data(): Frame {
  const idx = Array.from({ length: 120 }, (_, i) => i);
  const x = idx.map((i) => ((i * 37) % 100) / 10);
  const color = idx.map((i) => ['red', 'blue', 'green'][i % 3]);
  return frame(
    num(
      'x',
      x.map((v, i) => (i % 17 === 0 ? null : v)),
    ),
    cat('color', color),
    cat(
      'label',
      idx.map((i) => (x[i] + (color[i] === 'red' ? 3 : 0) > 6 ? 'hi' : 'lo')),
    ),
    num(
      'value',
      idx.map((i) => 2 * x[i] + (color[i] === 'red' ? 5 : 0)),
    ),
  );
}

const trainRows = Int32Array.from({ length: 90 }, (_, i) => i);
const testRows = Int32Array.from({ length: 30 }, (_, i) => 90 + i);

describe('registry', () => {
  it('holds every family under its name', () => {
    for (const name of FAMILY_NAMES) expect(FAMILIES[name].name).toBe(name);
    expect(getFamily('linear')).toBe(FAMILIES.linear);
    expect(familiesForTask('regression').map((f) => f.name)).not.toContain('naive_bayes');
  });

  it('lists the valid names when a family is unknown', () => {
    expect(() => getFamily('svm')).toThrow(
      'Unknown model family "svm". Valid families: gbdt, random_forest, extra_trees, linear, knn, naive_bayes, mlp, decision_tree.',
    );
  });
});

describe('FittedModel', () => {
  const classifiers: FamilyName[] = ['linear', 'knn', 'mlp', 'naive_bayes', 'gbdt'];
  it.each(classifiers)('%s: fits, predicts labels and round-trips through JSON', async (family) => {
    const f = data();
    const model = await fitModel(f, { target: 'label', family, features: ['x', 'color'], trainRows, seed: 1 });
    expect(model.task).toBe('binary');
    expect(model.classes).toEqual(['hi', 'lo']);
    expect(model.inputColumns).toEqual(['x', 'color']);
    const pred = await model.predict(f, testRows);
    expect(pred.proba!.length).toBe(60);
    expect(pred.labels!.every((l, i) => l === model.classes[pred.values[i]])).toBe(true);
    const label = columnByName(f, 'label');
    const correct = pred.labels!.filter((l, i) => l === cellText(label, testRows[i])).length;
    expect(correct / 30).toBeGreaterThan(0.7);
    const back = FittedModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(await back.predict(f, testRows)).toEqual(pred);
  });

  it('predicts regression values', async () => {
    const idx = Array.from({ length: 120 }, (_, i) => i);
    const x = idx.map((i) => ((i * 37) % 100) / 10);
    const color = idx.map((i) => ['red', 'blue', 'green'][i % 3]);
    const value = x.map((v, i) => 2 * v + (color[i] === 'red' ? 5 : 0));
    const f = frame(num('x', x), cat('color', color), num('value', value));
    const model = await fitModel(f, { target: 'value', family: 'linear', params: { alpha: 1e-8, tol: 1e-7 }, trainRows, seed: 0 });
    expect(model.task).toBe('regression');
    const pred = await model.predict(f, testRows);
    expect(pred.proba).toBeUndefined();
    expect(pred.labels).toBeUndefined();
    pred.values.forEach((v, i) => expect(v).toBeCloseTo(value[testRows[i]], 2));
  });

  it('fails clearly on a frame without an input column, a wrong task, or bad parameters', async () => {
    const f = data();
    const model = await fitModel(f, { target: 'label', family: 'naive_bayes', features: ['x', 'color'], trainRows, seed: 0 });
    const noColor: Frame = { rows: f.rows, columns: f.columns.filter((c) => c.name !== 'color') };
    await expect(model.predict(noColor)).rejects.toThrow('The data is missing column "color", which the model needs as input.');
    await expect(fitModel(f, { target: 'value', family: 'naive_bayes', trainRows, seed: 0 })).rejects.toThrow(/cannot do regression/);
    await expect(fitModel(f, { target: 'label', family: 'knn', params: { k: 3 }, trainRows, seed: 0 })).rejects.toThrow(/unknown parameter 'k'/);
    expect(() => FittedModel.fromJSON({ format: 'other' } as never)).toThrow(/not a Sieve fitted model/);
  });
});
