/**
 * The profile the page and the CLI show for a Frame: per column its type, missing and distinct counts,
 * a numeric summary or the top levels, and data-quality warnings. Plain data only (it crosses
 * postMessage and is printed as JSON).
 */
import type { Column, Frame } from './frame.ts';
import type { ColumnInference } from './infer.ts';
import { distinctSorted, duplicateRowCount, levelCounts, sortedPresent, summarizeSorted, topIndices } from './stats.ts';
import { columnWarnings, duplicateRowsWarning } from './warnings.ts';
import type { ColumnProfile, Profile, Warning } from './profile-types.ts';

export type { ColumnProfile, Profile, Warning } from './profile-types.ts';

export const TOP_LEVELS = 10;

/** One column's profile, with its warnings: the reader's (from `info`), then the column's own. */
export interface ProfiledColumn {
  profile: ColumnProfile;
  warnings: Warning[];
}

/** Profiles one column of `rows` rows; `info` is the reader's inference for it (ingest only). */
export function profileColumn(col: Column, rows: number, info?: ColumnInference): ProfiledColumn {
  let profile: ColumnProfile;
  let sorted: Float64Array | null = null;
  if (col.storage === 'numeric') {
    sorted = sortedPresent(col.values);
    profile = {
      name: col.name,
      type: col.type,
      missing: rows - sorted.length,
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
  const warnings: Warning[] = [];
  if (info) {
    profile.missingTokens = info.missingTokens;
    if (info.notes.length) profile.note = info.notes.join(' ');
    warnings.push(...info.warnings);
  }
  warnings.push(...columnWarnings(col, profile, rows, sorted));
  return { profile, warnings };
}

/**
 * Profiles a Frame. `inference` (from ingest, one entry per column, same order) adds the reader's
 * decisions: missing tokens, notes and the warnings only the reader can see (stray text, padded codes).
 */
export function profileFrame(frame: Frame, inference?: ColumnInference[]): Profile {
  return assemble(
    frame,
    frame.columns.map((col, j) => profileColumn(col, frame.rows, inference?.[j])),
  );
}

/**
 * Profiles some columns elsewhere (ingest's host: a second thread), reading the same Frame: it must
 * give exactly what `profileColumn` gives here, for the columns at `indices`, in that order.
 */
export interface ColumnProfiler {
  profile(frame: Frame, indices: number[], inference: (ColumnInference | undefined)[]): Promise<ProfiledColumn[]>;
  close(): void;
}

/**
 * profileFrame with a second thread's help: its numeric columns (each sorted for its quantiles, most of
 * a profile's time on a big table) are shared out by size between `helper` and this thread, which also
 * profiles the rest and counts duplicate rows meanwhile. The result is profileFrame's, exactly.
 * Numeric columns only: they live in shared memory, so the helper reads them without a copy, while a
 * categorical column's levels would be cloned to it.
 */
export async function profileFrameShared(frame: Frame, inference: ColumnInference[] | undefined, helper: ColumnProfiler): Promise<Profile> {
  const numeric = frame.columns.flatMap((c, j) => (c.storage === 'numeric' ? [j] : []));
  // The duplicate count weighs about as much as two numeric columns, every numeric column about one:
  // the helper takes half of that, every other numeric column first.
  const count = Math.min(numeric.length, Math.round((numeric.length + 2) / 2));
  const there = [...numeric.filter((_, k) => k % 2 === 0), ...numeric.filter((_, k) => k % 2 === 1)].slice(0, count).sort((a, b) => a - b);
  const away = new Set(there);
  const remote = helper.profile(
    frame,
    there,
    there.map((j) => inference?.[j]),
  );
  const parts: (ProfiledColumn | undefined)[] = frame.columns.map((col, j) => (away.has(j) ? undefined : profileColumn(col, frame.rows, inference?.[j])));
  const duplicates = countDuplicates(frame);
  // A helper that failed (its thread could not start, say) costs only time: its columns are done here.
  const results = await remote.catch(() => there.map((j) => profileColumn(frame.columns[j], frame.rows, inference?.[j])));
  there.forEach((j, k) => (parts[j] = results[k]));
  return assemble(frame, parts as ProfiledColumn[], duplicates);
}

function countDuplicates(frame: Frame): { count: number; idsIgnored: boolean } {
  const keyColumns = frame.columns.filter((c) => c.type !== 'identifier');
  return { count: duplicateRowCount(frame, keyColumns), idsIgnored: keyColumns.length < frame.columns.length };
}

function assemble(frame: Frame, parts: ProfiledColumn[], duplicates = countDuplicates(frame)): Profile {
  const warnings = parts.flatMap((p) => p.warnings);
  const dup = duplicateRowsWarning(duplicates.count, frame.rows, duplicates.idsIgnored);
  if (dup) warnings.push(dup);
  return { rows: frame.rows, columns: parts.map((p) => p.profile), warnings, duplicateRows: duplicates.count };
}

export { targetWarnings } from './warnings.ts';
