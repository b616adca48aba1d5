/**
 * Ordinal codes for the families that split on categories natively (trees, naive Bayes): the column
 * stays categorical, with the training levels sorted by string (scikit-learn's OrdinalEncoder order)
 * as its fixed code book, so code k means the same level in every frame the pipeline sees.
 *
 * At most `maxLevels` codes (default 255, what a Uint8 histogram bin holds): beyond that the least
 * frequent levels share an `__other__` code, which also takes levels first seen at prediction time.
 * With no `__other__` code an unseen level is treated as missing. Missing stays missing (NaN in the
 * FeatureMatrix), for the learner to route.
 */
import type { Column, Frame } from '../data/frame.ts';
import { categoricalColumn, compareStrings, levelCounts, levelsByCount, mapToFittedLevels, replaceColumns, requireColumn } from './columns.ts';
import { OTHER_LEVEL } from './onehot.ts';
import { assertFitted, type PrepStep, type StepJSON } from './step.ts';

interface OrdinalColumn {
  column: string;
  /** The code book: code k is levels[k]; the last entry is __other__ when `other`. */
  levels: string[];
  other: boolean;
}

export interface OrdinalJSON extends StepJSON {
  type: 'ordinal';
  columns: string[];
  maxLevels: number;
  encodings: OrdinalColumn[];
}

export class OrdinalEncoder implements PrepStep {
  readonly type = 'ordinal';
  private encodings: OrdinalColumn[] = [];
  private fitted = false;

  constructor(
    readonly columns: string[],
    readonly maxLevels = 255,
  ) {
    if (!(maxLevels >= 2)) throw new Error(`ordinal encoding needs maxLevels >= 2, got ${maxLevels}`);
  }

  fit(frame: Frame, trainRows?: ArrayLike<number>): void {
    this.encodings = this.columns.map((name) => {
      const ranked = levelsByCount(levelCounts(requireColumn(frame, name, 'ordinal encoding'), trainRows));
      if (ranked.length <= this.maxLevels) return { column: name, levels: ranked.sort(compareStrings), other: false };
      const kept = ranked.slice(0, this.maxLevels - 1).sort(compareStrings);
      return { column: name, levels: [...kept, OTHER_LEVEL], other: true };
    });
    this.fitted = true;
  }

  transform(frame: Frame): Frame {
    assertFitted(this.fitted, 'ordinal encoding');
    const byName = new Map(this.encodings.map((e) => [e.column, e]));
    return replaceColumns(frame, new Set(this.columns), (col) => [encode(col, byName.get(col.name)!)]);
  }

  derivedFrom(): Record<string, string> {
    return Object.fromEntries(this.encodings.map((e) => [e.column, e.column]));
  }

  toJSON(): OrdinalJSON {
    return { type: 'ordinal', columns: this.columns, maxLevels: this.maxLevels, encodings: this.encodings };
  }

  static fromJSON(json: OrdinalJSON): OrdinalEncoder {
    const step = new OrdinalEncoder(json.columns, json.maxLevels);
    step.encodings = json.encodings.map((e) => ({ ...e, levels: [...e.levels] }));
    step.fitted = true;
    return step;
  }
}

function encode(col: Column, e: OrdinalColumn): Column {
  const named = e.other ? e.levels.slice(0, -1) : e.levels;
  const codes = mapToFittedLevels(col, named, e.other ? e.levels.length - 1 : -1);
  return categoricalColumn(col.name, codes, [...e.levels], col.storage === 'categorical' ? col.type : 'categorical');
}
