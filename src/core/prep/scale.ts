/**
 * Standard scaling: (x - mean) / std with the training rows' mean and population standard deviation
 * (ddof = 0, as scikit-learn's StandardScaler). A constant column keeps scale 1, so it becomes all
 * zeros rather than NaN. Missing values are ignored by the statistics and stay missing.
 */
import type { Frame } from '../data/frame.ts';
import { forRows, numericColumn, numericValues, replaceColumns, requireColumn } from './columns.ts';
import { assertFitted, type PrepStep, type StepJSON } from './step.ts';

interface ScaleStats {
  column: string;
  mean: number;
  scale: number;
}

export interface ScalerJSON extends StepJSON {
  type: 'scale';
  columns: string[];
  stats: ScaleStats[];
}

export class StandardScaler implements PrepStep {
  readonly type = 'scale';
  private stats: ScaleStats[] = [];
  private fitted = false;

  constructor(readonly columns: string[]) {}

  fit(frame: Frame, trainRows?: ArrayLike<number>): void {
    this.stats = this.columns.map((name) => {
      const values = numericValues(requireColumn(frame, name, 'scaling'));
      let n = 0;
      let mean = 0;
      let m2 = 0;
      // Welford's update: one pass, no cancellation on large offsets (epoch seconds).
      forRows(frame.rows, trainRows, (i) => {
        const v = values[i];
        if (Number.isNaN(v)) return;
        n++;
        const d = v - mean;
        mean += d / n;
        m2 += d * (v - mean);
      });
      const std = n > 0 ? Math.sqrt(m2 / n) : 0;
      return { column: name, mean: n > 0 ? mean : 0, scale: std > 0 && Number.isFinite(std) ? std : 1 };
    });
    this.fitted = true;
  }

  transform(frame: Frame): Frame {
    assertFitted(this.fitted, 'scaling');
    const byName = new Map(this.stats.map((s) => [s.column, s]));
    return replaceColumns(frame, new Set(this.columns), (col) => {
      const s = byName.get(col.name)!;
      const src = numericValues(col);
      const out = new Float64Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = (src[i] - s.mean) / s.scale;
      return [numericColumn(col.name, out)];
    });
  }

  derivedFrom(): Record<string, string> {
    return Object.fromEntries(this.columns.map((c) => [c, c]));
  }

  toJSON(): ScalerJSON {
    return { type: 'scale', columns: this.columns, stats: this.stats };
  }

  static fromJSON(json: ScalerJSON): StandardScaler {
    const step = new StandardScaler(json.columns);
    step.stats = json.stats.map((s) => ({ ...s }));
    step.fitted = true;
    return step;
  }
}
