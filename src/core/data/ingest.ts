/**
 * CSV in, typed and profiled Frame out: the one entry point the page's ingest worker, the CLI and the
 * tests use. Runs anywhere (Node, a Web Worker): the source is a string, bytes, or a stream of byte
 * chunks (a File's stream in the browser, fs.createReadStream in Node).
 *
 *   bytes ──decode.ts──▶ text ──csv-reader.ts (papaparse)──▶ column builders ──infer.ts──▶ Frame ──profile.ts──▶ Profile
 */
import type { Column, Frame } from './frame.ts';
import { checkSize, decodeSource, type TextEncodingName } from './decode.ts';
import { CsvReader } from './csv-reader.ts';
import { IngestError, type IngestNote } from './errors.ts';
import { finalizeColumns, type ColumnInference } from './infer.ts';
import { profileFrame, profileFrameShared, type ColumnProfiler, type Profile } from './profile.ts';
import { canShareMemory } from './shared-frame.ts';
import { MAX_STRATA } from './reservoir.ts';
import { quoteName } from '../export/runtime/message-text.ts';

export { IngestError } from './errors.ts';
export type { IngestNote } from './errors.ts';

export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

export interface IngestOptions {
  /** Refuse larger inputs (IngestError 'too-large'), before parsing when the size is known. Default 512 MiB. */
  maxBytes?: number;
  /** The input's size if known (a File's size): for progress, the early size refusal and row pre-allocation. */
  totalBytes?: number;
  /** Rows with too few or too many cells: 'keep' pads/cuts them (default), 'skip' leaves them out; both are noted. */
  raggedRows?: 'keep' | 'skip';
  signal?: AbortSignal;
  /**
   * Build the Frame's columns in SharedArrayBuffers where the host allows it (shared-frame.ts): for a
   * caller that shares the frame with workers, this saves a second copy of every column.
   */
  shareMemory?: boolean;
  /** false: every chunk through papaparse, none through the reader's own splitter (csv-reader.ts); tests compare the two. */
  plainSplit?: boolean;
  /**
   * Keep at most this many data rows: a seeded uniform reservoir sample, in file order (memory-plan.ts
   * decides the number from the device; tests and `--max-rows` force one). Every row otherwise.
   */
  maxRows?: number;
  /** Seed of that sample (default 42). */
  sampleSeed?: number;
  /**
   * Stratify that sample by this column (the target, when it is known before reading, as in `sieve
   * run`): each of its values keeps its share of the file's rows (reservoir.ts).
   */
  stratifyBy?: string;
  /**
   * Starts a helper thread for the profile (profile.ts, `profileFrameShared`): called as reading starts,
   * for a file of PARALLEL_PROFILE_BYTES or more, so the thread boots while the file is read. Closed
   * when ingest ends. Without it, or when the columns are not in shared memory, one thread profiles.
   */
  columnProfiler?: () => ColumnProfiler;
  /** Called after each chunk read (bytes; UTF-16 code units for a string source). */
  onProgress?: (bytesRead: number, totalBytes?: number) => void;
}

/** A table read as a sample: how many rows the file has, how many were kept, and the seed. */
export interface SampleInfo {
  totalRows: number;
  keptRows: number;
  seed: number;
  method: 'uniform reservoir' | 'stratified reservoir';
  /** The column whose values keep their shares of the file (stratified samples). */
  stratifiedBy?: string;
}

export interface IngestResult {
  /** Present when the file had more rows than `maxRows`: the Frame holds a sample of them. */
  sample?: SampleInfo;
  frame: Frame;
  profile: Profile;
  notes: IngestNote[];
  delimiter: string;
  encoding: 'utf-8' | 'windows-1252';
}

/** Files from this size get a second thread for their profile (below it, starting one costs more than it saves). */
export const PARALLEL_PROFILE_BYTES = 32 << 20;

export async function ingestCsv(source: string | Uint8Array | AsyncIterable<Uint8Array>, opts: IngestOptions = {}): Promise<IngestResult> {
  const notes: IngestNote[] = [];
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  checkSize(opts.totalBytes, maxBytes);
  const knownSize = opts.totalBytes ?? (typeof source === 'string' || source instanceof Uint8Array ? source.length : undefined);
  const seed = opts.sampleSeed ?? 42;
  const reader = new CsvReader({
    raggedRows: opts.raggedRows ?? 'keep',
    totalBytes: knownSize,
    notes,
    plainSplit: opts.plainSplit,
    sample: opts.maxRows !== undefined ? { maxRows: opts.maxRows, seed, stratify: opts.stratifyBy } : undefined,
  });
  const state: { encoding: TextEncodingName } = { encoding: 'utf-8' };
  const shared = opts.shareMemory === true && canShareMemory();
  const helper = shared && opts.columnProfiler && (knownSize ?? 0) >= PARALLEL_PROFILE_BYTES ? opts.columnProfiler() : null;
  try {
    const text = decodeSource(source, { maxBytes, totalBytes: opts.totalBytes, signal: opts.signal, onProgress: opts.onProgress, notes }, state);
    for await (const piece of text) reader.push(piece);
    reader.end();
    if (opts.signal?.aborted) throw new IngestError('aborted', 'Loading the file was cancelled.');
    return await finish(reader, opts, seed, notes, state.encoding, shared, helper);
  } finally {
    helper?.close();
  }
}

async function finish(
  reader: CsvReader,
  opts: IngestOptions,
  seed: number,
  notes: IngestNote[],
  encoding: TextEncodingName,
  shared: boolean,
  helper: ColumnProfiler | null,
): Promise<IngestResult> {
  const { columns, inference } = finalizeColumns(reader.builders, {
    rows: reader.rows,
    lineOf: (row) => reader.lineOf(row),
    shared,
  });
  // The builders' dictionaries are garbage now: let them go before profiling (about 1 KB per column).
  reader.builders = [];
  const kept = dropUnnamedEmptyColumns(columns, inference, reader.unnamed, notes);
  const frame: Frame = { rows: reader.rows, columns: kept.columns };
  const profile = helper ? await profileFrameShared(frame, kept.inference, helper) : profileFrame(frame, kept.inference);
  const result: IngestResult = { frame, profile, notes, delimiter: reader.reportedDelimiter, encoding };
  if (reader.sampled) {
    const total = reader.rowsRead;
    const stratifiedBy = reader.stratified ? opts.stratifyBy : undefined;
    result.sample = {
      totalRows: total,
      keptRows: reader.rows,
      seed,
      method: stratifiedBy !== undefined ? 'stratified reservoir' : 'uniform reservoir',
      ...(stratifiedBy !== undefined ? { stratifiedBy } : {}),
    };
    const how =
      stratifiedBy !== undefined
        ? `stratified by ${quoteName(stratifiedBy)}: each of its values keeps its share of the file`
        : opts.stratifyBy !== undefined
          ? `uniform: ${quoteName(opts.stratifyBy)} has ${reader.strata?.overflow ? `more than ${MAX_STRATA.toLocaleString('en-US')} distinct values` : 'no column of that name'}, so it was not stratified`
          : 'uniform';
    notes.push({
      kind: 'sample',
      count: reader.rows,
      message:
        `The file has ${total.toLocaleString('en-US')} data rows; Sieve kept a seeded random sample of ${reader.rows.toLocaleString('en-US')} of them ` +
        `(reservoir sample, ${how}; seed ${seed}, in file order). The profile, the search and the model use the sample only.`,
    });
  }
  return result;
}

/**
 * A column with no name and no values is an artefact (a trailing delimiter on every line), not data:
 * it is dropped, and its "blank header" note is replaced by one saying so.
 */
function dropUnnamedEmptyColumns(
  columns: Column[],
  inference: ColumnInference[],
  unnamed: Set<number>,
  notes: IngestNote[],
): { columns: Column[]; inference: ColumnInference[] } {
  const drop = new Set<number>();
  for (const j of unnamed) {
    const col = columns[j];
    const empty = col.storage === 'numeric' ? col.values.every((v) => v !== v) : col.codes.every((c) => c < 0);
    if (empty && columns.length - drop.size > 1) drop.add(j);
  }
  if (drop.size === 0) return { columns, inference };
  for (const j of drop) {
    const name = columns[j].name;
    const at = notes.findIndex((n) => n.kind === 'blank-header' && n.column === name);
    if (at >= 0) notes.splice(at, 1);
    notes.push({
      kind: 'empty-column-dropped',
      message: `Column ${j + 1} has neither a name nor any value (a trailing delimiter?); it was left out.`,
    });
  }
  return {
    columns: columns.filter((_, j) => !drop.has(j)),
    inference: inference.filter((_, j) => !drop.has(j)),
  };
}
