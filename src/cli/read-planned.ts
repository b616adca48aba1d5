/**
 * How the CLI reads a table to learn from (`run`, `profile`): the memory plan first (memory-plan.ts,
 * from the file's first 256 KB against this machine's memory), then the read, of every row or of a
 * seeded sample of the rows that fit. The plan's sentence goes to stderr before reading, so a person
 * sees it before waiting; the JSON line carries `sampledFrom` (rows in the file, rows kept, seed).
 * `--max-rows N` forces a smaller limit (tests, quick looks at a big file).
 */
import fs from 'node:fs';
import os from 'node:os';
import type { IngestOptions, IngestResult, SampleInfo } from '../core/data/ingest.ts';
import { HEAD_BYTES, SAMPLE_SEED, budgetFromEnvironment, planMemory, shapeFromHead, type MemoryPlan } from '../core/data/memory-plan.ts';
import { readCsvFile } from '../node/read-csv.ts';
import { CliError, numberOption, type ParsedArgs } from './args.ts';

export interface PlannedRead extends IngestResult {
  /** Null when the head could not be read as a table (the full read then reports why). */
  plan: MemoryPlan | null;
}

/** `--max-rows N`: a whole number ≥ 1, or undefined. */
export function maxRowsOption(args: ParsedArgs): number | undefined {
  const n = numberOption(args, 'max-rows');
  if (n !== undefined && !(Number.isInteger(n) && n >= 1)) throw new CliError(`--max-rows must be a whole number of at least 1, got ${n}`);
  return n;
}

/** The machine's memory as the plan sees it. */
export function nodeMemoryEnvironment() {
  return { totalMemory: os.totalmem(), freeMemory: os.freemem() };
}

export async function planFile(file: string, maxRows?: number, stratifyBy?: string): Promise<MemoryPlan | null> {
  let size: number;
  let head: Uint8Array;
  try {
    size = (await fs.promises.stat(file)).size;
    const handle = await fs.promises.open(file, 'r');
    try {
      const buffer = new Uint8Array(Math.min(size, HEAD_BYTES));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return null; // a missing or unreadable file: readCsvFile says so
  }
  try {
    const shape = await shapeFromHead(head, size <= HEAD_BYTES);
    return planMemory(size, shape, budgetFromEnvironment(nodeMemoryEnvironment()), maxRows, stratifyBy);
  } catch {
    return null; // the head is not a table (binary, empty): the full read gives the message
  }
}

/**
 * The planned read. `opts.stratifyBy` (run: the target, unless the task is regression) makes a sample
 * keep each of that column's values in its share of the file.
 */
export async function readPlanned(file: string, maxRows: number | undefined, opts: IngestOptions = {}): Promise<PlannedRead> {
  const plan = await planFile(file, maxRows, opts.stratifyBy);
  if (plan?.message) process.stderr.write(`${plan.message}\n`);
  const limit = plan ? (plan.maxRows ?? undefined) : maxRows;
  const result = await readCsvFile(file, { ...opts, maxRows: limit, sampleSeed: SAMPLE_SEED });
  return { ...result, plan };
}

/** The JSON field: the sample's figures, or absent when every row was read. */
export function sampledFrom(sample: SampleInfo | undefined): { sampledFrom?: SampleInfo } {
  return sample ? { sampledFrom: sample } : {};
}
