/**
 * One-hot encoding for the families that need numbers only (linear, kNN, MLP).
 *
 * Each level seen in the training rows at least `minFrequency` of the time (default 1%), at most
 * `maxLevels` of them (default 30, the most frequent), gets a 0/1 column `<column>=<level>`; the
 * rare rest share one `<column>=__other__` column, so a long tail cannot blow up the width, and a
 * level first seen at prediction time lands there too. Without rare levels in training there is no
 * `__other__` column and an unseen level is all zeros (the same information). Missing → all zeros
 * (the pipeline imputes before this step).
 */
import type { Column, Frame } from '../data/frame.ts';
import { compareStrings, levelCounts, levelsByCount, mapToFittedLevels, numericColumn, replaceColumns, requireColumn } from './columns.ts';
import { assertFitted, type PrepStep, type StepJSON } from './step.ts';

export const OTHER_LEVEL = '__other__';

export interface OneHotOptions {
  /** Share of training rows a level needs to get its own column (0.01 = 1%). */
  minFrequency: number;
  /** At most this many levels get their own column; the rest go to __other__. */
  maxLevels: number;
}

export const DEFAULT_ONEHOT: OneHotOptions = { minFrequency: 0.01, maxLevels: 30 };

interface OneHotColumn {
  column: string;
  /** Levels with their own column, sorted by string. */
  levels: string[];
  /** Whether rare levels exist (then an __other__ column follows the level columns). */
  other: boolean;
}

export interface OneHotJSON extends StepJSON {
  type: 'onehot';
  columns: string[];
  options: OneHotOptions;
  encodings: OneHotColumn[];
}

export class OneHotEncoder implements PrepStep {
  readonly type = 'onehot';
  private encodings: OneHotColumn[] = [];
  private fitted = false;

  constructor(
    readonly columns: string[],
    readonly options: OneHotOptions = DEFAULT_ONEHOT,
  ) {}

  fit(frame: Frame, trainRows?: ArrayLike<number>): void {
    const nTrain = trainRows ? trainRows.length : frame.rows;
    const minCount = Math.max(1, Math.ceil(this.options.minFrequency * nTrain - 1e-9));
    this.encodings = this.columns.map((name) => {
      const counts = levelCounts(requireColumn(frame, name, 'one-hot'), trainRows);
      const ranked = levelsByCount(counts);
      const kept = ranked.filter((l) => counts.get(l)! >= minCount).slice(0, this.options.maxLevels);
      return { column: name, levels: kept.sort(compareStrings), other: kept.length < ranked.length };
    });
    this.fitted = true;
  }

  transform(frame: Frame): Frame {
    assertFitted(this.fitted, 'one-hot');
    const byName = new Map(this.encodings.map((e) => [e.column, e]));
    return replaceColumns(frame, new Set(this.columns), (col) => encode(col, byName.get(col.name)!));
  }

  /** Names of the 0/1 columns this step creates (they are not standardised). */
  outputColumns(): string[] {
    return this.encodings.flatMap((e) => outputNames(e));
  }

  derivedFrom(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.encodings) for (const name of outputNames(e)) out[name] = e.column;
    return out;
  }

  toJSON(): OneHotJSON {
    return { type: 'onehot', columns: this.columns, options: this.options, encodings: this.encodings };
  }

  static fromJSON(json: OneHotJSON): OneHotEncoder {
    const step = new OneHotEncoder(json.columns, json.options);
    step.encodings = json.encodings.map((e) => ({ ...e, levels: [...e.levels] }));
    step.fitted = true;
    return step;
  }
}

function outputNames(e: OneHotColumn): string[] {
  const names = e.levels.map((l) => `${e.column}=${l}`);
  if (e.other) names.push(`${e.column}=${OTHER_LEVEL}`);
  return names;
}

function encode(col: Column, e: OneHotColumn): Column[] {
  const width = e.levels.length + (e.other ? 1 : 0);
  // Unseen levels map to the __other__ slot when it exists, else nowhere (-2 → all zeros).
  const idx = mapToFittedLevels(col, e.levels, e.other ? e.levels.length : -2);
  const n = idx.length;
  const outs = Array.from({ length: width }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) if (idx[i] >= 0) outs[idx[i]][i] = 1;
  return outputNames(e).map((name, j) => numericColumn(name, outs[j]));
}
