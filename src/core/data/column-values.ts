/**
 * Columns as plain Float64 vectors and back. Explanations and checks that perturb inputs (permutation
 * importance, partial dependence, SHAP, monotonic ICE curves) work on one Float64Array per column;
 * these turn a frame's columns into such vectors over some rows, and vectors back into a frame the
 * model can predict (same names, types and levels).
 */
import type { Column, Frame } from './frame.ts';

/** Numeric values, or categorical codes as doubles (NaN missing), of `rows`. */
export function columnValues(col: Column, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  if (col.storage === 'numeric') for (let i = 0; i < rows.length; i++) out[i] = col.values[rows[i]];
  else for (let i = 0; i < rows.length; i++) out[i] = col.codes[rows[i]] < 0 ? NaN : col.codes[rows[i]];
  return out;
}

/** A frame of the given columns (same names, types, levels) holding `values` as their rows. */
export function rebuildFrame(cols: Column[], values: Float64Array[]): Frame {
  const rows = values[0]?.length ?? 0;
  return {
    rows,
    columns: cols.map((c, j): Column => {
      if (c.storage === 'numeric') return { ...c, values: values[j] };
      return { ...c, codes: Int32Array.from(values[j], (v) => (Number.isNaN(v) ? -1 : v)) };
    }),
  };
}
