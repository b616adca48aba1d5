/**
 * The datasheet of the training data for the model card: size, every input column's type and
 * missingness, the target's class balance or distribution, the profile's warnings, and the dataset's
 * SHA-256. Computed from the Frame (and the ingest profile when there is one, which also knows the
 * reader's own warnings), so the page and the CLI write the same card.
 */
import type { Frame } from '../data/frame.ts';
import { profileFrame, type ColumnProfile, type Profile } from '../data/profile.ts';

export interface DatasheetColumn {
  name: string;
  type: string;
  missing: number;
  distinct: number;
  /** Numbers: min / median / max; categories: the most frequent levels. */
  summary: string;
}

export interface Datasheet {
  name: string;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
  bytes?: number;
  rows: number;
  /** The rows are a sample of a file too big for memory (ingest's maxRows): its figures. */
  sample?: { totalRows: number; keptRows: number; seed: number; method: string; stratifiedBy?: string };
  columns: number;
  duplicateRows: number;
  target: {
    name: string;
    type: string;
    missing: number;
    /** Classification: every class with its row count. */
    classes?: { label: string; count: number }[];
    /** Regression: the distribution. */
    distribution?: { min: number; p25: number; median: number; p75: number; max: number; mean: number; std: number };
  };
  inputs: DatasheetColumn[];
  warnings: { column?: string; kind: string; message: string }[];
}

export interface DatasheetOptions {
  name: string;
  sha256: string;
  bytes?: number;
  /** The file was read as a row sample (IngestResult.sample). */
  sample?: Datasheet['sample'];
  target: string;
  /** The model's input columns. */
  inputs: readonly string[];
  /** The ingest profile of the same frame (computed when absent). */
  profile?: Profile;
  /** Class labels in model order (classification). */
  classes?: readonly string[];
}

export function describeTrainingData(frame: Frame, opts: DatasheetOptions): Datasheet {
  const profile = opts.profile && opts.profile.rows === frame.rows ? opts.profile : profileFrame(frame);
  const byName = new Map(profile.columns.map((c) => [c.name, c]));
  const column = (name: string): ColumnProfile => {
    const p = byName.get(name);
    if (!p) throw new Error(`the datasheet needs column "${name}", which the data does not have`);
    return p;
  };
  const t = column(opts.target);
  const target: Datasheet['target'] = { name: t.name, type: t.type, missing: t.missing };
  if (opts.classes && opts.classes.length > 0) target.classes = classCounts(frame, opts.target, opts.classes);
  else if (t.numeric) {
    const s = t.numeric;
    target.distribution = { min: s.min, p25: s.quantiles.p25, median: s.quantiles.p50, p75: s.quantiles.p75, max: s.max, mean: s.mean, std: s.std };
  }
  return {
    name: opts.name,
    sha256: opts.sha256,
    bytes: opts.bytes,
    rows: frame.rows,
    ...(opts.sample ? { sample: opts.sample } : {}),
    columns: frame.columns.length,
    duplicateRows: profile.duplicateRows,
    target,
    inputs: opts.inputs.map((name) => {
      const c = column(name);
      return { name, type: c.type, missing: c.missing, distinct: c.distinct, summary: summarize(c) };
    }),
    warnings: profile.warnings.map((w) => ({ column: w.column, kind: w.kind, message: w.message })),
  };
}

function summarize(c: ColumnProfile): string {
  if (c.numeric) {
    const s = c.numeric;
    if (c.type === 'datetime') return `${iso(s.min)} to ${iso(s.max)}`;
    return `min ${num(s.min)}, median ${num(s.quantiles.p50)}, max ${num(s.max)}`;
  }
  if (c.topLevels && c.topLevels.length > 0) {
    const top = c.topLevels.slice(0, 3).map((l) => `${l.level} (${l.count})`);
    return `${top.join(', ')}${c.distinct > 3 ? ', ...' : ''}`;
  }
  return '';
}

function classCounts(frame: Frame, target: string, classes: readonly string[]): { label: string; count: number }[] {
  const col = frame.columns.find((c) => c.name === target)!;
  const counts = new Map(classes.map((c) => [c, 0]));
  for (let i = 0; i < frame.rows; i++) {
    let label: string | null;
    if (col.storage === 'numeric') label = Number.isNaN(col.values[i]) ? null : String(col.values[i]);
    else label = col.codes[i] < 0 ? null : col.levels[col.codes[i]];
    if (label !== null && counts.has(label)) counts.set(label, counts.get(label)! + 1);
  }
  return classes.map((label) => ({ label, count: counts.get(label)! }));
}

function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(6)));
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '';
}
