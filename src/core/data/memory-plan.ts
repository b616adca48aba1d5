/**
 * Before a file is read: will its table fit in this device's memory, and if not, how many rows will?
 *
 * The table's shape comes from the file's first rows (`shapeFromHead`: the real ingest run on the
 * first complete lines, so a column counts as numeric exactly when Sieve would store it as numbers),
 * its row count from the file's size over the head's bytes per row. In the Frame a numeric (or date)
 * column costs 8 bytes a row (Float64) and any other 4 (Int32 codes into its levels). A run needs
 * several times the Frame: the reader's growing arrays and final copies, the profile's sorted
 * columns, the binned copy the search trains on, the trial workers' own arrays, the explanations.
 * WORKING_FACTOR is that multiple, from the issue-13 targets (≤ 1.5 GB in Node and ≤ 2 GB for all of
 * Chromium for 1M rows × 25 columns, a 188 MB Frame: 8 and 10.6). A table whose rows do not fit is
 * read as a seeded uniform reservoir sample of the rows that do (csv-reader.ts, csv-store.ts).
 *
 * The device's budget (`budgetFromEnvironment`): in a page, half of `navigator.deviceMemory` (GB,
 * which browsers round down and cap at 8), no more than `performance.memory.jsHeapSizeLimit` where
 * Chromium reports it, and no more than MAX_PAGE_BUDGET; without deviceMemory (Firefox, Safari) a
 * 4 GB device is assumed. In Node: half the machine's memory, no more than 80 % of what is free.
 */
import { ingestCsv } from './ingest.ts';
import { quoteName } from '../export/runtime/message-text.ts';

/** Memory a run takes per byte of its Frame (see above). */
export const WORKING_FACTOR = 10;
/** What one tab may use at most, whatever the device: 4 GB. */
export const MAX_PAGE_BUDGET = 4e9;
/** deviceMemory assumed when the browser does not tell (GB). */
export const DEFAULT_DEVICE_GB = 4;
/** Head of the file looked at for the shape. */
export const HEAD_BYTES = 256 * 1024;
/** The seed of the row sample (the run's own seed is chosen later, in the Goal step). */
export const SAMPLE_SEED = 42;

export interface TableShape {
  columns: number;
  /** Columns stored as numbers (numeric, dates): 8 bytes a row in the Frame. */
  numericColumns: number;
  /** Other columns (categories, booleans, text, identifiers): 4 bytes a row. */
  codeColumns: number;
  /** File bytes per data row in the head (header excluded). */
  fileBytesPerRow: number;
  /** Data rows in the head. */
  headRows: number;
}

export interface MemoryEnvironment {
  /** navigator.deviceMemory (GB), when the browser gives it. */
  deviceMemoryGB?: number;
  /** performance.memory.jsHeapSizeLimit (bytes), Chromium only. */
  jsHeapSizeLimit?: number;
  /** Node: os.totalmem() and os.freemem() (bytes). */
  totalMemory?: number;
  freeMemory?: number;
}

export interface MemoryBudget {
  bytes: number;
  /** Where the figure comes from, for messages ("half of this device's 8 GB"). */
  source: string;
}

export interface MemoryPlan {
  fileBytes: number;
  /** Rows the file holds, estimated from its size (exact when the head is the whole file). */
  estimatedRows: number;
  frameBytesPerRow: number;
  /** Memory a run needs per row (Frame bytes × WORKING_FACTOR). */
  bytesPerRow: number;
  budget: MemoryBudget;
  /** Rows this device can hold (never below MIN_ROWS). */
  rowsThatFit: number;
  /** Most rows to keep: a sample of this many is read when the file has more; null reads every row. */
  maxRows: number | null;
  /** Why maxRows: 'memory' (the device), 'forced' (--max-rows or the page's maxRows option). */
  limitedBy: 'memory' | 'forced' | null;
  /** The sentence to show before reading; null when every row is read. */
  message: string | null;
}

/** A sample is never smaller than this, whatever the estimate says. */
export const MIN_ROWS = 10_000;

/**
 * The shape of a table from the first bytes of its file: the ingest on the complete lines of `head`
 * (the last, maybe cut, line dropped unless `whole`). Throws the IngestError the full read would throw
 * for a head it cannot read (binary, empty, no rows).
 */
export async function shapeFromHead(head: Uint8Array, whole: boolean): Promise<TableShape> {
  let end = head.length;
  if (!whole) {
    const lastBreak = head.lastIndexOf(10);
    if (lastBreak > 0) end = lastBreak + 1;
  }
  const bytes = head.subarray(0, end);
  const { frame } = await ingestCsv(bytes);
  const headerEnd = bytes.indexOf(10);
  const dataBytes = headerEnd >= 0 ? bytes.length - headerEnd - 1 : bytes.length;
  const numericColumns = frame.columns.filter((c) => c.storage === 'numeric').length;
  return {
    columns: frame.columns.length,
    numericColumns,
    codeColumns: frame.columns.length - numericColumns,
    fileBytesPerRow: Math.max(1, dataBytes / Math.max(1, frame.rows)),
    headRows: frame.rows,
  };
}

const GB = 1e9;
const gb = (bytes: number) => `${Number((bytes / GB).toPrecision(2))} GB`;

export function budgetFromEnvironment(env: MemoryEnvironment): MemoryBudget {
  if (env.totalMemory !== undefined) {
    const half = env.totalMemory / 2;
    const free = 0.8 * (env.freeMemory ?? env.totalMemory);
    return half <= free
      ? { bytes: half, source: `half of this machine's ${gb(env.totalMemory)}` }
      : { bytes: free, source: `80 % of the ${gb(env.freeMemory ?? 0)} free on this machine` };
  }
  const known = env.deviceMemoryGB !== undefined && env.deviceMemoryGB > 0;
  const deviceGB = known ? env.deviceMemoryGB! : DEFAULT_DEVICE_GB;
  let bytes = (deviceGB * GB) / 2;
  let source = known
    ? `half of this device's ${deviceGB} GB (as the browser reports it, at most 8)`
    : `half of an assumed ${deviceGB} GB device (the browser does not say)`;
  if (env.jsHeapSizeLimit !== undefined && env.jsHeapSizeLimit > 0 && env.jsHeapSizeLimit < bytes) {
    bytes = env.jsHeapSizeLimit;
    source = `the browser's ${gb(bytes)} heap limit`;
  }
  if (bytes > MAX_PAGE_BUDGET) {
    bytes = MAX_PAGE_BUDGET;
    source = `${gb(MAX_PAGE_BUDGET)}, the most Sieve uses in one tab`;
  }
  return { bytes, source };
}

/**
 * The plan for a file of `fileBytes` with the given shape and budget. `maxRows` forces a smaller
 * limit (tests, `--max-rows`); it never raises the device's.
 */
export function planMemory(fileBytes: number, shape: TableShape, budget: MemoryBudget, maxRows?: number, stratifyBy?: string): MemoryPlan {
  const frameBytesPerRow = Math.max(4, 8 * shape.numericColumns + 4 * shape.codeColumns);
  const bytesPerRow = frameBytesPerRow * WORKING_FACTOR;
  const estimatedRows = Math.max(shape.headRows, Math.round(fileBytes / shape.fileBytesPerRow));
  const rowsThatFit = Math.max(MIN_ROWS, roundDown(budget.bytes / bytesPerRow));
  const forced = maxRows !== undefined && maxRows > 0 && maxRows < rowsThatFit;
  const limit = forced ? Math.floor(maxRows) : rowsThatFit;
  const sample = estimatedRows > limit || forced;
  const plan: MemoryPlan = {
    fileBytes,
    estimatedRows,
    frameBytesPerRow,
    bytesPerRow,
    budget,
    rowsThatFit,
    maxRows: sample ? limit : null,
    limitedBy: sample ? (forced ? 'forced' : 'memory') : null,
    message: null,
  };
  if (sample && estimatedRows > limit) plan.message = sampleMessage(plan, stratifyBy);
  return plan;
}

/** "This file has about 3.1M rows; this device can hold about 1.2M; Sieve will use a seeded random sample of 1,200,000 rows." */
function sampleMessage(plan: MemoryPlan, stratifyBy?: string): string {
  const limit = plan.maxRows!;
  const why = sampleReason(plan);
  const how = stratifyBy !== undefined ? `stratified by ${quoteName(stratifyBy)}` : 'uniform';
  return (
    `This file has about ${approx(plan.estimatedRows)} rows; ${why}. ` +
    `Sieve will use a seeded random sample of ${limit.toLocaleString('en-US')} rows (${how}, seed ${SAMPLE_SEED}), read in one pass.`
  );
}

/** Why a plan reads a sample: "the row limit is set to 5,000", or what this device can hold and why. */
export function sampleReason(plan: MemoryPlan): string {
  if (plan.limitedBy === 'forced') return `the row limit is set to ${(plan.maxRows ?? 0).toLocaleString('en-US')}`;
  return `this device can hold about ${approx(plan.rowsThatFit)} (${plan.frameBytesPerRow} bytes a row in memory, ${WORKING_FACTOR}× that for a run, within ${plan.budget.source})`;
}

/** 3,123,456 → "3.1M", 45,600 → "46k". */
export function approx(n: number): string {
  if (n >= 1e6) return `${Number((n / 1e6).toPrecision(2))}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}k`;
  return String(n);
}

/** Rounds a row count down to two significant digits (1,234,567 → 1,200,000), so the limit reads plainly. */
function roundDown(n: number): number {
  if (!(n > 0)) return 0;
  if (!Number.isFinite(n)) return Number.MAX_SAFE_INTEGER;
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.floor(n / unit) * unit;
}
