/** The checked-in histogram kernels are what their generator writes (run `npm run gen:kernels` after changing it). */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUTPUT, render } from '../../../scripts/gen-histogram-kernels.ts';
import { KERNELS } from '../../../src/core/models/gbdt/histogram-kernels.generated.ts';

describe('generated histogram kernels', () => {
  it('the file is up to date with scripts/gen-histogram-kernels.ts', () => {
    expect(fs.readFileSync(OUTPUT, 'utf8')).toBe(render());
  });

  it('each kernel adds gradient, hessian and count as its mode says, for 1 to 4 features', () => {
    const binned = Uint8Array.from([0, 1, 1, 2, 0, 2, 2, 1]); // 2 rows × 4 features, column-major
    const rows = Int32Array.from([0, 1]);
    const g = Float64Array.from([0.5, -1]);
    const h = Float64Array.from([2, 3]);
    for (const [mode, kernels] of Object.entries(KERNELS)) {
      kernels.forEach((kernel, i) => {
        const n = i + 1;
        const hist = new Float64Array(3 * 3 * 4); // 3 bins per feature
        const o = Int32Array.from([0, 9, 18, 27]);
        const c = Int32Array.from([0, 2, 4, 6]);
        kernel(hist, binned, rows, 0, 2, g, h, o, c);
        for (let f = 0; f < 4; f++) {
          for (let b = 0; b < 3; b++) {
            const inBin = [0, 1].filter((r) => f < n && binned[c[f] + r] === b);
            const slot = o[f] + 3 * b;
            expect(hist[slot]).toBe(inBin.reduce((a, r) => a + g[r], 0));
            expect(hist[slot + 1]).toBe(mode.includes('H') ? inBin.reduce((a, r) => a + h[r], 0) : 0);
            expect(hist[slot + 2]).toBe(mode.includes('C') ? inBin.length : 0);
          }
        }
      });
    }
  });
});
