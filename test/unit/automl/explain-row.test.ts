import { describe, expect, it } from 'vitest';
import { explainRow, partialDependenceOf } from '../../../src/core/automl/explain-row.ts';
import { fitFinalModel } from '../../../src/core/automl/model.ts';
import type { Frame } from '../../../src/core/data/frame.ts';
import { Rng } from '../../../src/core/util/random.ts';

function frame(n: number): Frame {
  const rng = new Rng(3);
  const a = Float64Array.from({ length: n }, () => rng.normal());
  const b = Float64Array.from({ length: n }, () => rng.normal());
  const color = Int32Array.from({ length: n }, () => rng.int(3));
  const y = Float64Array.from(a, (v, i) => 3 * v + (color[i] === 2 ? 2 : 0) + 0.1 * rng.normal());
  return {
    rows: n,
    columns: [
      { name: 'a', type: 'numeric', storage: 'numeric', values: a },
      { name: 'b', type: 'numeric', storage: 'numeric', values: b },
      { name: 'color', type: 'categorical', storage: 'categorical', codes: color, levels: ['red', 'green', 'blue'] },
      { name: 'y', type: 'numeric', storage: 'numeric', values: y },
    ],
  };
}

const rows = Int32Array.from({ length: 400 }, (_, i) => i);
const member = (family: 'gbdt' | 'linear', weight = 1) => ({ family, weight, params: {}, features: ['a', 'b', 'color'] });

describe('explainRow', () => {
  it('gives exact Tree SHAP for a GBDT, summing to its prediction, in input-column terms', async () => {
    const f = frame(400);
    const model = await fitFinalModel(f, { target: 'y', task: 'regression', classes: [], trainRows: rows, seed: 0, members: [member('gbdt')] });
    const e = await explainRow(model, f, 7, rows);
    expect(e.method).toBe('tree-shap');
    const pred = (await model.predictRows(f, [7])).values[0];
    expect(e.prediction).toBeCloseTo(pred, 9);
    expect(e.base + e.contributions.reduce((s, c) => s + c.value, 0)).toBeCloseTo(pred, 9);
    expect(e.contributions[0].feature).toBe('a');
    expect(Math.abs(e.contributions.find((c) => c.feature === 'b')!.value)).toBeLessThan(Math.abs(e.contributions[0].value));
  });

  it('falls back to sampling SHAP for an ensemble, keeping the sum property', async () => {
    const f = frame(400);
    const model = await fitFinalModel(f, {
      target: 'y',
      task: 'regression',
      classes: [],
      trainRows: rows,
      seed: 0,
      members: [member('gbdt', 0.5), member('linear', 0.5)],
    });
    const e = await explainRow(model, f, 3, rows);
    expect(e.method).toBe('sampling-shap');
    expect(e.base + e.contributions.reduce((s, c) => s + c.value, 0)).toBeCloseTo(e.prediction, 6);
    const pd = await partialDependenceOf(model, f, ['a', 'color'], rows);
    expect(pd[0].values[pd[0].values.length - 1]).toBeGreaterThan(pd[0].values[0]);
    expect(pd[1].levels).toEqual(['red', 'green', 'blue']);
    expect(pd[1].values[2]).toBeGreaterThan(pd[1].values[0] + 1);
  }, 60_000);

  it('rejects a row that does not exist', async () => {
    const f = frame(100);
    const model = await fitFinalModel(f, {
      target: 'y',
      task: 'regression',
      classes: [],
      trainRows: rows.subarray(0, 100),
      seed: 0,
      members: [member('linear')],
    });
    await expect(explainRow(model, f, 500, rows.subarray(0, 100))).rejects.toThrow(/row 501 does not exist/);
  });
});
