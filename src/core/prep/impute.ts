/**
 * Missing-value imputation: the median for numeric columns, the most frequent level for categorical
 * ones (ties go to the smallest string, as scikit-learn's SimpleImputer does), plus a 0/1
 * `<column>__missing` indicator for every column with enough missing values in the training rows, so a
 * model can still learn from "the value was absent" (often informative: a blank income, no cabin).
 * "Enough" is at least 5 rows or 10 % of them (see hasIndicatorSupport): an indicator learned from one
 * or two rows is noise a model fits with full confidence — on penguins the one training row with every
 * measurement missing is an Adelie, so a linear model with indicators calls the test row with every
 * measurement missing (a Gentoo) Adelie with p ≈ 1, which alone triples the test log loss.
 *
 * A column with no observed value in the training rows is filled with 0 / "__missing__"; the pipeline
 * drops such columns before this step with a note, so that case only arises when the step is used alone.
 */
import type { Column, Frame } from '../data/frame.ts';
import {
  categoricalColumn,
  categoricalView,
  forRows,
  levelCounts,
  levelsByCount,
  numericColumn,
  numericValues,
  replaceColumns,
  requireColumn,
} from './columns.ts';
import { assertFitted, type PrepStep, type StepJSON } from './step.ts';

export const MISSING_LEVEL = '__missing__';

interface NumericFill {
  column: string;
  median: number;
  indicator: boolean;
}

interface CategoricalFill {
  column: string;
  mode: string;
  indicator: boolean;
}

export interface ImputerJSON extends StepJSON {
  type: 'impute';
  columns: string[];
  addIndicator: boolean;
  numeric: NumericFill[];
  categorical: CategoricalFill[];
}

export class Imputer implements PrepStep {
  readonly type = 'impute';
  private numeric: NumericFill[] = [];
  private categorical: CategoricalFill[] = [];
  private fitted = false;

  constructor(
    readonly columns: string[],
    readonly addIndicator = true,
  ) {}

  fit(frame: Frame, trainRows?: ArrayLike<number>): void {
    this.numeric = [];
    this.categorical = [];
    for (const name of this.columns) {
      const col = requireColumn(frame, name, 'impute');
      if (col.storage === 'numeric') {
        const values: number[] = [];
        let missing = 0;
        forRows(frame.rows, trainRows, (i) => {
          const v = col.values[i];
          if (Number.isNaN(v)) missing++;
          else values.push(v);
        });
        const indicator = this.addIndicator && hasIndicatorSupport(missing, missing + values.length);
        this.numeric.push({ column: name, median: values.length ? median(values) : 0, indicator });
      } else {
        const counts = levelCounts(col, trainRows);
        let observed = 0;
        for (const c of counts.values()) observed += c;
        const total = trainRows ? trainRows.length : frame.rows;
        const top = levelsByCount(counts)[0];
        const indicator = this.addIndicator && hasIndicatorSupport(total - observed, total);
        this.categorical.push({ column: name, mode: top ?? MISSING_LEVEL, indicator });
      }
    }
    this.fitted = true;
  }

  transform(frame: Frame): Frame {
    assertFitted(this.fitted, 'impute');
    const numeric = new Map(this.numeric.map((f) => [f.column, f]));
    const categorical = new Map(this.categorical.map((f) => [f.column, f]));
    return replaceColumns(frame, new Set(this.columns), (col) => {
      const n = numeric.get(col.name);
      if (n) return imputeNumeric(col, n);
      return imputeCategorical(col, categorical.get(col.name)!);
    });
  }

  derivedFrom(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of [...this.numeric, ...this.categorical]) {
      out[f.column] = f.column;
      if (f.indicator) out[indicatorName(f.column)] = f.column;
    }
    return out;
  }

  /** Columns whose missing-value indicator was added (numbers only, so they can be scaled). */
  indicatorColumns(): string[] {
    return [...this.numeric, ...this.categorical].filter((f) => f.indicator).map((f) => indicatorName(f.column));
  }

  toJSON(): ImputerJSON {
    return { type: 'impute', columns: this.columns, addIndicator: this.addIndicator, numeric: this.numeric, categorical: this.categorical };
  }

  static fromJSON(json: ImputerJSON): Imputer {
    const step = new Imputer(json.columns, json.addIndicator);
    step.numeric = json.numeric.map((f) => ({ ...f }));
    step.categorical = json.categorical.map((f) => ({ ...f }));
    step.fitted = true;
    return step;
  }
}

/** Whether `missing` of `total` training rows are enough to learn a missing-value indicator from. */
export function hasIndicatorSupport(missing: number, total: number): boolean {
  return missing > 0 && (missing >= 5 || missing >= 0.1 * total);
}

export function indicatorName(column: string): string {
  return `${column}__missing`;
}

function imputeNumeric(col: Column, fill: NumericFill): Column[] {
  const src = numericValues(col);
  const values = new Float64Array(src.length);
  const flag = fill.indicator ? new Float64Array(src.length) : null;
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (Number.isNaN(v)) {
      values[i] = fill.median;
      if (flag) flag[i] = 1;
    } else values[i] = v;
  }
  const out: Column[] = [numericColumn(col.name, values, col.storage === 'numeric' ? col.type : 'numeric')];
  if (flag) out.push(numericColumn(indicatorName(col.name), flag));
  return out;
}

function imputeCategorical(col: Column, fill: CategoricalFill): Column[] {
  const { codes: src, levels: srcLevels } = categoricalView(col);
  const levels = [...srcLevels];
  let fillCode = levels.indexOf(fill.mode);
  if (fillCode < 0) {
    fillCode = levels.length;
    levels.push(fill.mode);
  }
  const codes = new Int32Array(src.length);
  const flag = fill.indicator ? new Float64Array(src.length) : null;
  for (let i = 0; i < src.length; i++) {
    if (src[i] < 0) {
      codes[i] = fillCode;
      if (flag) flag[i] = 1;
    } else codes[i] = src[i];
  }
  const out: Column[] = [categoricalColumn(col.name, codes, levels, col.storage === 'categorical' ? col.type : 'categorical')];
  if (flag) out.push(numericColumn(indicatorName(col.name), flag));
  return out;
}

/** The median as numpy computes it (mean of the two middle values for an even count). */
export function median(values: number[]): number {
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
