/**
 * The profile the page and the CLI show for a Frame: per column its type, missing and distinct counts,
 * a numeric summary or the top levels, and data-quality warnings. Plain data only (it crosses
 * postMessage and is printed as JSON).
 */
import type { ColumnType, Frame } from './frame.ts';
import type { ColumnInference } from './infer.ts';
import { distinctSorted, duplicateRowCount, levelCounts, sortedPresent, summarizeSorted, topIndices, type NumericSummary } from './stats.ts';
import { columnWarnings, duplicateRowsWarning } from './warnings.ts';

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  missing: number;
  distinct: number;
  /** Numeric and datetime columns (datetime in epoch milliseconds, UTC). Absent when all values are missing. */
  numeric?: NumericSummary;
  /** Categorical-storage columns: the 10 most frequent levels. */
  topLevels?: { level: string; count: number }[];
  /** Tokens read as missing in this column ('' = empty or whitespace-only cells); from ingest only. */
  missingTokens?: string[];
  /** What type inference decided and why (tokens kept as levels, padded codes, date order...). */
  note?: string;
}

export interface Warning {
  column?: string;
  kind: string;
  message: string;
}

export interface Profile {
  rows: number;
  columns: ColumnProfile[];
  warnings: Warning[];
  duplicateRows: number;
}

export const TOP_LEVELS = 10;

/**
 * Profiles a Frame. `inference` (from ingest, one entry per column, same order) adds the reader's
 * decisions: missing tokens, notes and the warnings only the reader can see (stray text, padded codes).
 */
export function profileFrame(frame: Frame, inference?: ColumnInference[]): Profile {
  const warnings: Profile['warnings'] = [];
  const columns = frame.columns.map((col, j): ColumnProfile => {
    const info = inference?.[j];
    let profile: ColumnProfile;
    let sorted: Float64Array | null = null;
    if (col.storage === 'numeric') {
      sorted = sortedPresent(col.values);
      profile = {
        name: col.name,
        type: col.type,
        missing: frame.rows - sorted.length,
        distinct: distinctSorted(sorted),
      };
      if (sorted.length > 0) profile.numeric = summarizeSorted(sorted);
    } else {
      const { counts, missing } = levelCounts(col.codes, col.levels.length);
      let distinct = 0;
      for (let i = 0; i < counts.length; i++) if (counts[i] > 0) distinct++;
      profile = {
        name: col.name,
        type: col.type,
        missing,
        distinct,
        topLevels: topIndices(counts, TOP_LEVELS).map((i) => ({ level: col.levels[i], count: counts[i] })),
      };
    }
    if (info) {
      profile.missingTokens = info.missingTokens;
      if (info.notes.length) profile.note = info.notes.join(' ');
      warnings.push(...info.warnings);
    }
    warnings.push(...columnWarnings(col, profile, frame.rows, sorted));
    return profile;
  });
  const keyColumns = frame.columns.filter((c) => c.type !== 'identifier');
  const duplicateRows = duplicateRowCount(frame, keyColumns);
  const dup = duplicateRowsWarning(duplicateRows, frame.rows, keyColumns.length < frame.columns.length);
  if (dup) warnings.push(dup);
  return { rows: frame.rows, columns, warnings, duplicateRows };
}

export { targetWarnings } from './warnings.ts';
