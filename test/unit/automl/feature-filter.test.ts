import { describe, expect, it } from 'vitest';
import { FeatureFilter, filterColumns } from '../../../src/core/automl/feature-filter.ts';
import { cat, frame, num } from '../../helpers/frames.ts';
import { result } from './board.ts';

const n = 400;
const signal = Array.from({ length: n }, (_, i) => i % 2);
const data = frame(
  num('s', signal),
  num(
    's_copy',
    signal.map((v) => v * 2),
  ),
  num(
    'noise',
    Array.from({ length: n }, (_, i) => (i * 7919) % 13),
  ),
  cat(
    'c',
    Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i % 3 ? 'u' : 'v')),
  ),
);
const y = Float64Array.from(signal);
const rows = Int32Array.from({ length: n }, (_, i) => i);

describe('filterColumns', () => {
  it('reads numeric values and categorical codes (NaN missing) of the rows', () => {
    const [s, , , c] = filterColumns(data, ['s', 's_copy', 'noise', 'c'], Int32Array.of(1, 0));
    expect([...s.values]).toEqual([1, 0]);
    expect([...c.values]).toEqual([0, NaN]);
    expect(c.categorical).toBe(true);
  });
});

describe('FeatureFilter', () => {
  const filter = new FeatureFilter(data, ['s', 's_copy', 'noise', 'c'], rows, y, true, 0);
  it('keeps every feature when the probe failed', () => {
    expect(filter.decide(result(1, undefined, { status: 'failed' })).selected).toEqual(['s', 's_copy', 'noise', 'c']);
  });
  it('drops what the probe did not use and what duplicates a kept column', () => {
    const probe = result(1, undefined, { permutation: { s: [0.3, 0.3, 0.3], s_copy: [0, 0, 0], noise: [0, 0, 0], c: [0, 0, 0] }, gain: { s: 1 } });
    const { selected, dropped } = filter.decide(probe);
    expect(selected).toContain('s');
    expect(selected).not.toContain('noise');
    expect(dropped.map((d) => d.name)).toContain('s_copy');
  });
});
