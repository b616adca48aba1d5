/**
 * Free text → a small hashed bag of words ("the hashing trick"): each text cell is split into
 * lower-cased letter/digit tokens, each token is hashed (32-bit FNV-1a over its UTF-8 bytes) into
 * one of `buckets` columns (default 64), and the column holds the token count. No vocabulary is
 * stored, so new words at prediction time need nothing special; buckets no training row uses are
 * left out. Output columns are `<column>#<bucket>`.
 */
import type { Frame } from '../data/frame.ts';
import { categoricalView, forRows, numericColumn, replaceColumns, requireColumn } from './columns.ts';
import { assertFitted, type PrepStep, type StepJSON } from './step.ts';

export interface TextHashJSON extends StepJSON {
  type: 'text_hash';
  columns: string[];
  buckets: number;
  used: Record<string, number[]>;
}

const encoder = new TextEncoder();

/** 32-bit FNV-1a of the string's UTF-8 bytes. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of encoder.encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Token counts per bucket for one string. */
export function hashCounts(text: string, buckets: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of tokenize(text)) {
    const b = fnv1a(t) % buckets;
    out.set(b, (out.get(b) ?? 0) + 1);
  }
  return out;
}

export class TextHasher implements PrepStep {
  readonly type = 'text_hash';
  private used: Record<string, number[]> = {};
  private fitted = false;

  constructor(
    readonly columns: string[],
    readonly buckets = 64,
  ) {
    if (!(Number.isInteger(buckets) && buckets >= 1)) throw new Error(`text hashing needs a whole number of buckets >= 1, got ${buckets}`);
  }

  fit(frame: Frame, trainRows?: ArrayLike<number>): void {
    this.used = {};
    for (const name of this.columns) {
      const { codes, levels } = categoricalView(requireColumn(frame, name, 'text hashing'));
      const seen = new Uint8Array(levels.length);
      forRows(frame.rows, trainRows, (i) => {
        if (codes[i] >= 0) seen[codes[i]] = 1;
      });
      const hit = new Set<number>();
      levels.forEach((text, c) => {
        if (seen[c]) for (const b of hashCounts(text, this.buckets).keys()) hit.add(b);
      });
      this.used[name] = [...hit].sort((a, b) => a - b);
    }
    this.fitted = true;
  }

  transform(frame: Frame): Frame {
    assertFitted(this.fitted, 'text hashing');
    return replaceColumns(frame, new Set(this.columns), (col) => {
      const { codes, levels } = categoricalView(col);
      const used = this.used[col.name];
      const slot = new Map(used.map((b, j) => [b, j]));
      const perLevel = levels.map((text) => hashCounts(text, this.buckets));
      const outs = used.map(() => new Float64Array(codes.length));
      for (let i = 0; i < codes.length; i++) {
        if (codes[i] < 0) continue;
        for (const [b, count] of perLevel[codes[i]]) {
          const j = slot.get(b);
          if (j !== undefined) outs[j][i] = count;
        }
      }
      return used.map((b, j) => numericColumn(`${col.name}#${b}`, outs[j]));
    });
  }

  derivedFrom(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const c of this.columns) for (const b of this.used[c] ?? []) out[`${c}#${b}`] = c;
    return out;
  }

  toJSON(): TextHashJSON {
    return { type: 'text_hash', columns: this.columns, buckets: this.buckets, used: this.used };
  }

  static fromJSON(json: TextHashJSON): TextHasher {
    const step = new TextHasher(json.columns, json.buckets);
    step.used = Object.fromEntries(Object.entries(json.used).map(([k, v]) => [k, [...v]]));
    step.fitted = true;
    return step;
  }
}
