/**
 * The shapes of a data profile (plain data: it crosses postMessage and is printed as JSON), apart from
 * the code that computes them, so that inference and the warnings can name them without importing the
 * profiler that imports them.
 */
import type { ColumnType } from './frame.ts';
import type { NumericSummary } from './stats.ts';

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
