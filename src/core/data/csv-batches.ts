/**
 * A CSV of any size as a sequence of Frames of at most about `rowsPerBatch` rows each, read with the
 * same decoder, reader and type inference as ingest.ts (each batch typed on its own rows): for work
 * that needs every row but never all of them at once, such as scoring a file with a model (the Ship
 * step). Memory stays at one batch, whatever the file's size. No profile is made.
 */
import type { Frame } from './frame.ts';
import { checkSize, decodeSource, type TextEncodingName } from './decode.ts';
import { CsvReader } from './csv-reader.ts';
import { IngestError, type IngestNote } from './errors.ts';
import { finalizeColumns } from './infer.ts';

export interface CsvBatch {
  frame: Frame;
  /** Index (0-based, among the file's data rows) of the batch's first row. */
  firstRow: number;
  /** Batch row (0-based) → line in the file. */
  lineOf: (row: number) => number;
}

export interface BatchOptions {
  rowsPerBatch: number;
  /** Called once per batch, in file order, before the next one is read. */
  onBatch: (batch: CsvBatch) => void;
  totalBytes?: number;
  /** Default: no limit (the point is any size). */
  maxBytes?: number;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes?: number) => void;
}

export interface BatchedCsv {
  /** Data rows read in all. */
  rows: number;
  names: string[];
  delimiter: string;
  encoding: TextEncodingName;
  notes: IngestNote[];
}

export async function readCsvInBatches(source: string | Uint8Array | AsyncIterable<Uint8Array>, opts: BatchOptions): Promise<BatchedCsv> {
  const notes: IngestNote[] = [];
  const maxBytes = opts.maxBytes ?? Infinity;
  checkSize(opts.totalBytes, maxBytes);
  const knownSize = opts.totalBytes ?? (typeof source === 'string' || source instanceof Uint8Array ? source.length : undefined);
  let firstRow = 0;
  const reader = new CsvReader({
    raggedRows: 'keep',
    totalBytes: knownSize,
    notes,
    batch: {
      rows: Math.max(1, Math.floor(opts.rowsPerBatch)),
      onBatch: (builders, rows, lineOf) => {
        const { columns } = finalizeColumns(builders, { rows, lineOf });
        const batch: CsvBatch = { frame: { rows, columns }, firstRow, lineOf };
        firstRow += rows;
        opts.onBatch(batch);
      },
    },
  });
  const state: { encoding: TextEncodingName } = { encoding: 'utf-8' };
  const text = decodeSource(source, { maxBytes, totalBytes: opts.totalBytes, signal: opts.signal, onProgress: opts.onProgress, notes }, state);
  for await (const piece of text) reader.push(piece);
  reader.end();
  if (opts.signal?.aborted) throw new IngestError('aborted', 'Loading the file was cancelled.');
  return { rows: reader.rowsRead, names: reader.names, delimiter: reader.reportedDelimiter, encoding: state.encoding, notes };
}
