/**
 * The pipeline must learn from training rows only: whatever the other rows (validation, test) hold,
 * the fitted state and the training features are the same. Each check has a control showing that
 * changing a *training* row does change the state, so the comparison can fail.
 */
import { describe, expect, it } from 'vitest';
import type { Column, Frame } from '../../../src/core/data/frame.ts';
import type { FeatureNeeds } from '../../../src/core/models/types.ts';
import { fitPipeline } from '../../../src/core/prep/pipeline.ts';
import { cat, frame, num } from '../../helpers/frames.ts';

const N = 80;
const trainRows = Int32Array.from({ length: 56 }, (_, i) => i); // rows 0..55; 56..79 play validation/test
const isTrain = (i: number) => i < 56;

function dataset(): Frame {
  const idx = Array.from({ length: N }, (_, i) => i);
  return frame(
    num(
      'x',
      idx.map((i) => (i % 9 === 0 ? null : Math.sin(i) * 10 + i)),
    ),
    cat(
      'color',
      idx.map((i) => (i % 13 === 0 ? null : ['red', 'green', 'blue', 'teal'][i % 4])),
    ),
    cat(
      'zip',
      idx.map((i) => `z${(i * 7) % 40}`),
    ),
    num(
      'when',
      idx.map((i) => Date.UTC(2019 + (i % 3), i % 12, 1 + (i % 27), i % 24)),
      'datetime',
    ),
    cat(
      'memo',
      idx.map((i) => `alpha${i % 5} beta${i % 3}`),
      'text',
    ),
    cat(
      'y',
      idx.map((i) => (i % 3 === 0 ? 'pos' : 'neg')),
    ),
  );
}

/** A copy where every non-training row (or the given rows) holds different values, labels included. */
function scramble(f: Frame, rows: (i: number) => boolean): Frame {
  const columns = f.columns.map((c): Column => {
    if (c.storage === 'numeric') {
      const values = Float64Array.from(c.values, (v, i) => (rows(i) ? (Number.isNaN(v) ? 123456 : v * 100 + 7) : v));
      return { ...c, values };
    }
    const levels = [...c.levels, 'never-seen-in-training', 'another one'];
    const codes = Int32Array.from(c.codes, (k, i) => (rows(i) ? (k < 0 ? levels.length - 2 : (k + 1) % c.levels.length) : k));
    return { ...c, codes, levels };
  });
  return { rows: f.rows, columns };
}

const NEEDS: [string, FeatureNeeds][] = [
  ['one-hot + scale', { categorical: 'onehot', scale: true }],
  ['native', { categorical: 'native', scale: false }],
];

describe.each(NEEDS)('no leakage from non-training rows (%s)', (_, needs) => {
  const fit = (f: Frame) =>
    fitPipeline(f, {
      target: 'y',
      features: f.columns.map((c) => c.name),
      needs,
      trainRows,
      seed: 11,
      classes: ['neg', 'pos'],
      config: { targetEncodeAbove: 10 },
    });

  it('fits the same state and the same training features whatever the other rows hold', () => {
    const f = dataset();
    const g = scramble(f, (i) => !isTrain(i));
    const a = fit(f);
    const b = fit(g);
    expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
    expect(b.transformTrain(g)).toEqual(a.transformTrain(f));
    expect(b.transform(g, trainRows)).toEqual(a.transform(f, trainRows));
  });

  it('control: changing one training row does change the fitted state', () => {
    const f = dataset();
    const a = fit(f);
    // Row 5 gets a level no other row has, in every categorical column.
    const g: Frame = {
      rows: f.rows,
      columns: f.columns.map((c): Column => {
        if (c.storage !== 'categorical' || c.name === 'y') return c;
        const codes = Int32Array.from(c.codes);
        codes[5] = c.levels.length;
        return { ...c, codes, levels: [...c.levels, 'violet'] };
      }),
    };
    expect(JSON.stringify(fit(g).toJSON())).not.toBe(JSON.stringify(a.toJSON()));
  });
});
