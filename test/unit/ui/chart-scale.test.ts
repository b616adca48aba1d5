import { describe, expect, it } from 'vitest';
import { extent, linearScale, niceTicks, tickLabel } from '../../../src/ui/charts/scale.ts';

describe('chart scales', () => {
  it('maps a domain onto a range (SVG y grows downwards)', () => {
    const y = linearScale([0, 1], [200, 10]);
    expect(y(0)).toBe(200);
    expect(y(1)).toBe(10);
    expect(y(0.5)).toBe(105);
    expect(linearScale([3, 3], [0, 100])(3)).toBe(50);
  });

  it('picks round ticks inside the domain', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.71, 0.88, 4)).toEqual([0.75, 0.8, 0.85]);
    expect(niceTicks(0, 30, 5)).toEqual([0, 10, 20, 30]);
    expect(niceTicks(-20_000, 20_000, 4)).toEqual([-20_000, -10_000, 0, 10_000, 20_000]);
    expect(niceTicks(NaN, 1)).toEqual([]);
  });

  it('gives distinct ticks when the two ends differ only by float noise (a model against itself)', () => {
    const a = 0.7941176470588235;
    const b = a + 2 * Number.EPSILON;
    expect(niceTicks(a, b, 3)).toEqual([a]);
    const [lo, hi] = extent([a, b, a], 0.15);
    expect(hi - lo).toBeGreaterThan(0.05);
    const ticks = niceTicks(lo, hi, 3);
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks.length).toBeGreaterThanOrEqual(1);
  });

  it('pads the extent and never returns an empty one', () => {
    expect(extent([0, 10], 0.1)).toEqual([-1, 11]);
    expect(extent([5, 5])).toEqual([4.75, 5.25]);
    expect(extent([NaN])).toEqual([0, 1]);
    expect(tickLabel(0.30000000000000004)).toBe('0.3');
    expect(tickLabel(40000)).toBe('40,000');
  });
});
