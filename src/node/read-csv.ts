/**
 * Reads a CSV file from disk through the same streaming engine the browser uses: the file's size goes
 * in as `totalBytes` (early size refusal, progress, row pre-allocation) and its bytes stream in 1 MiB
 * chunks, so the whole file is never held as one buffer or string.
 */
import fs from 'node:fs';
import { IngestError, ingestCsv, type IngestOptions, type IngestResult } from '../core/data/ingest.ts';
import { shareFrame } from '../core/data/shared-frame.ts';
import { startColumnProfiler } from './column-profiler.ts';

/** fs read size: big reads mean fewer calls; the reader hands papaparse 64 K-character slices of them. */
const READ_CHUNK = 1 << 20;

export async function readCsvFile(path: string, opts: IngestOptions = {}): Promise<IngestResult> {
  let size: number;
  try {
    const stat = await fs.promises.stat(path);
    if (stat.isDirectory()) throw new IngestError('unreadable', `${path} is a folder, not a CSV file.`);
    size = stat.size;
  } catch (err) {
    if (err instanceof IngestError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new IngestError('not-found', `No such file: ${path}`);
    throw new IngestError('unreadable', `Cannot read ${path}: ${(err as Error).message}`);
  }
  const stream = fs.createReadStream(path, { highWaterMark: READ_CHUNK });
  try {
    const result = await ingestCsv(stream as AsyncIterable<Uint8Array>, {
      shareMemory: true,
      columnProfiler: startColumnProfiler,
      ...opts,
      totalBytes: opts.totalBytes ?? size,
    });
    // In shared memory, so worker threads read this copy instead of each cloning its own.
    shareFrame(result.frame);
    return result;
  } finally {
    // An early refusal (too large, binary) stops reading; destroying is a no-op once the stream has ended.
    stream.destroy();
  }
}
