import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../src/core/data/frame.ts';
import { fitPipeline, FittedPipeline, type PipelineOptions } from '../../../src/core/prep/pipeline.ts';
import { range } from '../../../src/core/util/random.ts';
import { cat, frame, num } from '../../helpers/frames.ts';

/** 60 rows mixing every column type; row i is deterministic. */
function mixedFrame(n = 60): Frame {
  const idx = Array.from({ length: n }, (_, i) => i);
  return frame(
    num(
      'age',
      idx.map((i) => (i % 7 === 0 ? null : 20 + ((i * 13) % 50))),
    ),
    cat(
      'color',
      idx.map((i) => (i % 11 === 0 ? null : ['red', 'green', 'blue'][i % 3])),
    ),
    cat(
      'city',
      idx.map((i) => `city${i % 12}`),
    ),
    num(
      'joined',
      idx.map((i) => Date.UTC(2020, i % 12, 1 + (i % 28), i % 24)),
      'datetime',
    ),
    cat(
      'note',
      idx.map((i) => (i % 5 === 0 ? null : `word${i % 4} other`)),
      'text',
    ),
    cat(
      'id',
      idx.map((i) => `id-${i}`),
      'identifier',
    ),
    num(
      'empty',
      idx.map(() => null),
    ),
    cat(
      'label',
      idx.map((i) => (i % 3 === 0 ? 'yes' : 'no')),
    ),
  );
}

const base = (f: Frame, over: Partial<PipelineOptions> = {}): PipelineOptions => ({
  target: 'label',
  features: f.columns.map((c) => c.name),
  needs: { categorical: 'onehot', scale: true },
  trainRows: range(40),
  seed: 7,
  ...over,
});

describe('fitPipeline for numbers-only families (one-hot + scale)', () => {
  const f = mixedFrame();
  const p = fitPipeline(f, base(f, { config: { targetEncodeAbove: 10 } }));

  it('plans every column role and says what it left out', () => {
    expect(p.task).toBe('binary');
    expect(p.classes).toEqual(['no', 'yes']);
    expect(p.inputColumns).toEqual(['age', 'color', 'city', 'joined', 'note']);
    expect(p.notes.join('\n')).toMatch(/"id" left out: an identifier/);
    expect(p.notes.join('\n')).toMatch(/"empty" left out: no value in any training row/);
    expect(p.notes.join('\n')).toMatch(/"city": 12 levels, target encoded/);
    const names = p.features.map((s) => s.name);
    expect(names).toContain('age');
    expect(names).toContain('age__missing');
    expect(names).toContain('color=red');
    expect(names).toContain('color__missing');
    expect(names).toContain('city__te');
    expect(names).toContain('joined.month');
    expect(names.some((n) => n.startsWith('note#'))).toBe(true);
    expect(p.features.every((s) => s.kind === 'numeric')).toBe(true);
    expect(p.features.find((s) => s.name === 'color=red')!.source).toBe('color');
    expect(p.features.find((s) => s.name === 'joined.epoch')!.source).toBe('joined');
  });

  it('produces finite numbers only, with standardised numeric columns', () => {
    const X = p.transform(f);
    expect(X.rows).toBe(60);
    for (const col of X.columns) for (const v of col) expect(Number.isFinite(v)).toBe(true);
    const j = p.features.findIndex((s) => s.name === 'age');
    const train = Array.from(X.columns[j].subarray(0, 40));
    expect(train.reduce((a, b) => a + b, 0) / 40).toBeCloseTo(0, 10);
    // One-hot columns are left as 0/1.
    const red = X.columns[p.features.findIndex((s) => s.name === 'color=red')];
    expect(new Set(red)).toEqual(new Set([0, 1]));
  });

  it('gives the training rows out-of-fold target encodings only through transformTrain', () => {
    const te = p.features.findIndex((s) => s.name === 'city__te');
    const plain = p.transform(f, range(40));
    const oof = p.transformTrain(f);
    expect(oof.columns[te]).not.toEqual(plain.columns[te]);
    p.features.forEach((_, j) => {
      if (j !== te) expect(oof.columns[j]).toEqual(plain.columns[j]);
    });
  });

  it('round-trips through JSON to identical features', () => {
    const back = FittedPipeline.fromJSON(JSON.parse(JSON.stringify(p.toJSON())));
    expect(back.transform(f)).toEqual(p.transform(f));
    expect(back.features).toEqual(p.features);
    expect(() => back.transformTrain(f)).toThrow(/freshly fitted/);
  });

  it('scores a frame whose categorical codes differ from training, through the level strings', () => {
    const recoded: Frame = {
      rows: f.rows,
      columns: f.columns.map((c) => {
        if (c.storage !== 'categorical') return c;
        const levels = [...c.levels].reverse();
        const codes = Int32Array.from(c.codes, (k) => (k < 0 ? -1 : levels.indexOf(c.levels[k])));
        return { ...c, codes, levels };
      }),
    };
    expect(p.transform(recoded, [3, 17, 41])).toEqual(p.transform(f, [3, 17, 41]));
  });

  it('fails with a clear message naming a missing input column', () => {
    const without: Frame = { rows: f.rows, columns: f.columns.filter((c) => c.name !== 'color' && c.name !== 'note') };
    expect(() => p.transform(without)).toThrow('The data is missing columns "color", "note", which the model needs as inputs.');
  });

  it('encodes the target with the training class order', () => {
    const t = p.targetVector(f, [0, 1, 2, 3]);
    expect(Array.from(t.y)).toEqual([1, 0, 0, 1]);
    expect(t.nClasses).toBe(2);
  });
});

describe('fitPipeline for native-categorical families', () => {
  const f = mixedFrame();
  const p = fitPipeline(f, base(f, { needs: { categorical: 'native', scale: false } }));

  it('keeps categorical codes as categorical features and missing values as NaN', () => {
    const color = p.features.find((s) => s.name === 'color')!;
    expect(color).toEqual({ name: 'color', kind: 'categorical', nLevels: 3, source: 'color' });
    expect(p.features.find((s) => s.name === 'city')!.nLevels).toBe(12);
    const X = p.transform(f);
    const age = X.columns[p.features.findIndex((s) => s.name === 'age')];
    expect(age[0]).toBeNaN();
    expect(age[1]).toBe(33);
    const col = X.columns[p.features.findIndex((s) => s.name === 'color')];
    expect(col[0]).toBeNaN();
    // Code book sorted by string: blue 0, green 1, red 2; row 1 is green.
    expect(col[1]).toBe(1);
    expect(p.features.some((s) => s.name.endsWith('__missing'))).toBe(false);
  });
});

describe('fitPipeline edge cases', () => {
  it('refuses a target with a single class in classification', () => {
    const f = frame(num('x', [1, 2, 3]), cat('y', ['a', 'a', 'a']));
    expect(() => fitPipeline(f, { target: 'y', features: ['x'], needs: { categorical: 'onehot', scale: true }, trainRows: range(3), seed: 0 })).toThrow(
      /same value \("a"\) in every row/,
    );
    expect(() =>
      fitPipeline(f, {
        target: 'y',
        features: ['x'],
        needs: { categorical: 'onehot', scale: true },
        trainRows: range(3),
        seed: 0,
        task: 'binary',
        classes: ['a'],
      }),
    ).toThrow(/at least two classes/);
  });

  it('fits a regression target that is constant in the training rows', () => {
    const f = frame(num('x', [1, 2, 3, 4, 5]), num('y', [5, 5, 5, 6, 7.5]));
    const p = fitPipeline(f, { target: 'y', features: ['x', 'y'], needs: { categorical: 'onehot', scale: true }, trainRows: range(3), seed: 0 });
    expect(p.task).toBe('regression');
    expect(Array.from(p.targetVector(f, range(3)).y)).toEqual([5, 5, 5]);
  });

  it('refuses when no usable input column is left, and names unknown feature columns', () => {
    const f = frame(num('gone', [null, null, 1]), num('y', [1, 2, 3.5]));
    expect(() => fitPipeline(f, { target: 'y', features: ['gone'], needs: { categorical: 'native', scale: false }, trainRows: range(2), seed: 0 })).toThrow(
      /No usable input columns/,
    );
    expect(() => fitPipeline(f, { target: 'y', features: ['nope'], needs: { categorical: 'native', scale: false }, trainRows: range(2), seed: 0 })).toThrow(
      /Column "nope" is not in the data/,
    );
  });

  it('can leave free text out instead of hashing it', () => {
    const f = frame(cat('t', ['a b', 'c'], 'text'), num('x', [1, 2]), num('y', [1, 2.5]));
    const p = fitPipeline(f, {
      target: 'y',
      features: ['t', 'x'],
      needs: { categorical: 'onehot', scale: true },
      trainRows: range(2),
      seed: 0,
      config: { text: 'drop' },
    });
    expect(p.inputColumns).toEqual(['x']);
    expect(p.notes[0]).toMatch(/"t" left out: free text/);
  });
});

describe('fitPipeline with the resolved project’s encoded target', () => {
  it('fits the same steps from `encoded` as from encoding the column itself, and reads only the training rows of it', () => {
    const f = mixedFrame();
    const trainRows = Int32Array.from({ length: 40 }, (_, i) => i);
    const opts: PipelineOptions = {
      target: 'label',
      features: ['city', 'age'],
      needs: { scale: true, categorical: 'onehot' },
      trainRows,
      seed: 3,
      config: { targetEncodeAbove: 5 },
    };
    // Class order no < yes; the test rows hold NaN (the project encodes every row, the fit must not read them).
    const encoded = Float64Array.from({ length: 60 }, (_, i) => (i >= 40 ? NaN : i % 3 === 0 ? 1 : 0));
    const a = fitPipeline(f, opts);
    const b = fitPipeline(f, { ...opts, task: 'binary', classes: ['no', 'yes'], encoded });
    expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
    expect(JSON.stringify(a.toJSON())).toContain('city');
    // A different encoded target changes the target encoding: the option is read.
    const flipped = fitPipeline(f, { ...opts, task: 'binary', classes: ['no', 'yes'], encoded: encoded.map((v) => 1 - v) });
    expect(JSON.stringify(flipped.toJSON())).not.toBe(JSON.stringify(a.toJSON()));
  });
});
