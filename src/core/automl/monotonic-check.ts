/**
 * Verifies monotonic effects on the test split: for every constrained column, every test row's
 * individual-conditional-expectation (ICE) curve over a grid of the column's values (its range on the
 * search rows) must never move against the stated direction; the partial-dependence curve (their
 * mean) is reported too. The score is P(positive) for a binary target, the prediction for regression.
 */
import type { Frame } from '../data/frame.ts';
import { columnValues, rebuildFrame } from '../data/column-values.ts';
import type { FinalModel } from './model.ts';

export interface MonotonicCheck {
  column: string;
  direction: 1 | -1;
  rows: number;
  gridPoints: number;
  /** Steps along ICE curves that move against the direction (beyond 1e-9). */
  violations: number;
  /** The partial-dependence curve: grid values and mean scores. */
  grid: number[];
  partialDependence: number[];
}

export async function checkMonotonic(
  model: FinalModel,
  frame: Frame,
  monotonic: Record<string, 1 | -1>,
  searchRows: Int32Array,
  testRows: Int32Array,
  positive: number,
  gridPoints = 100,
): Promise<MonotonicCheck[]> {
  const out: MonotonicCheck[] = [];
  const inputs = model.inputColumns;
  const cols = inputs.map((name) => frame.columns.find((c) => c.name === name)!);
  const base = cols.map((c) => columnValues(c, testRows));
  const n = testRows.length;
  for (const [column, direction] of Object.entries(monotonic)) {
    const j = inputs.indexOf(column);
    const col = frame.columns.find((c) => c.name === column);
    if (!col || col.storage !== 'numeric') continue;
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of searchRows) {
      const v = col.values[r];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const grid = Array.from({ length: gridPoints }, (_, k) => lo + ((hi - lo) * k) / (gridPoints - 1));
    const pd = new Array<number>(gridPoints).fill(0);
    let violations = 0;
    if (j < 0) {
      // The model does not read the column: every curve is flat.
      out.push({ column, direction, rows: n, gridPoints, violations: 0, grid, partialDependence: pd.fill(NaN) });
      continue;
    }
    // Batches of rows × grid points, one predictRows call each.
    const batch = Math.max(1, Math.floor(50_000 / gridPoints));
    for (let start = 0; start < n; start += batch) {
      const m = Math.min(batch, n - start);
      const columns = base.map((values, c) => {
        const v = new Float64Array(m * gridPoints);
        for (let i = 0; i < m; i++) for (let k = 0; k < gridPoints; k++) v[i * gridPoints + k] = c === j ? grid[k] : values[start + i];
        return v;
      });
      const p = await model.predictRows(rebuildFrame(cols, columns));
      const K = model.nClasses;
      const score = (idx: number) => (p.proba ? p.proba[idx * K + positive] : p.values[idx]);
      for (let i = 0; i < m; i++) {
        let prev = score(i * gridPoints);
        pd[0] += prev / n;
        for (let k = 1; k < gridPoints; k++) {
          const v = score(i * gridPoints + k);
          if (direction * (v - prev) < -1e-9) violations++;
          pd[k] += v / n;
          prev = v;
        }
      }
    }
    out.push({ column, direction, rows: n, gridPoints, violations, grid, partialDependence: pd });
  }
  return out;
}
