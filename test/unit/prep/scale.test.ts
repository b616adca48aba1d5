import { describe, expect, it } from 'vitest';
import { StandardScaler } from '../../../src/core/prep/scale.ts';
import { columnOf, frame, num, values } from '../../helpers/frames.ts';

describe('StandardScaler', () => {
  it('standardises with the training mean and population std', () => {
    const f = frame(num('x', [1, 2, 3, 4]));
    const step = new StandardScaler(['x']);
    step.fit(f);
    // mean 2.5, std sqrt(1.25)
    const s = Math.sqrt(1.25);
    const out = values(columnOf(step.transform(f), 'x'));
    [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 12));
  });

  it('uses only the training rows', () => {
    const f = frame(num('x', [1, 2, 3, 4]));
    const step = new StandardScaler(['x']);
    step.fit(f, [0, 1]); // mean 1.5, std 0.5
    expect(values(columnOf(step.transform(f), 'x'))).toEqual([-1, 1, 3, 5]);
  });

  it('maps a constant column to zeros and leaves missing values missing', () => {
    const f = frame(num('k', [7, 7, 7]), num('x', [1, null, 3]));
    const step = new StandardScaler(['k', 'x']);
    step.fit(f);
    const out = step.transform(f);
    expect(values(columnOf(out, 'k'))).toEqual([0, 0, 0]);
    expect(values(columnOf(out, 'x'))).toEqual([-1, NaN, 1]);
  });

  it('round-trips through JSON', () => {
    const f = frame(num('x', [3, 9, 27]));
    const step = new StandardScaler(['x']);
    step.fit(f);
    expect(StandardScaler.fromJSON(JSON.parse(JSON.stringify(step.toJSON()))).transform(f)).toEqual(step.transform(f));
  });
});
