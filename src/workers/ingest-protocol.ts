/**
 * Messages between the page and the ingest worker (src/workers/ingest.worker.ts).
 * The page sends one request per worker; the worker answers with any number of `progress`
 * messages and then exactly one `done` or `error`.
 */
import type { Frame } from '../core/data/frame.ts';
import type { IngestResult } from '../core/data/ingest.ts';
import type { MemoryEnvironment, MemoryPlan } from '../core/data/memory-plan.ts';

export interface IngestRequest {
  type: 'ingest';
  /** The File (or Blob) to read; structured-cloned to the worker without copying its bytes. */
  file: Blob;
  /** Refuse files larger than this when there is no memory plan (the head is not a table); with a plan, the plan decides. */
  maxBytes?: number;
  /** What the page knows of the device's memory (navigator.deviceMemory, performance.memory), for the plan. */
  memory?: MemoryEnvironment;
  /** Keep at most this many rows (a seeded sample), below what the device allows: the `?maxRows=` page option, tests. */
  maxRows?: number;
  /** Stratify a sample by this column (the target, once the Goal step knows it). */
  stratifyBy?: string;
}

/** Sent before reading: the memory plan (memory-plan.ts), whose message says when a sample will be read. */
export interface IngestPlanMessage {
  type: 'plan';
  plan: MemoryPlan;
}

export interface IngestProgressMessage {
  type: 'progress';
  bytesRead: number;
  totalBytes: number;
}

/** What the page keeps from a successful ingest: the engine's result, Frame included (its buffers are transferred). */
export type IngestedCsv = Omit<IngestResult, 'frame'> & { frame: Frame };

export interface IngestDoneMessage {
  type: 'done';
  result: IngestedCsv;
}

/** An IngestError (or an unexpected failure) flattened to plain data, since Error subclasses do not survive postMessage. */
export interface IngestErrorInfo {
  /** The engine's IngestError kind, or 'internal' for anything else. */
  kind: string;
  message: string;
  line?: number;
  column?: string;
}

export interface IngestErrorMessage {
  type: 'error';
  error: IngestErrorInfo;
}

export type IngestResponse = IngestPlanMessage | IngestProgressMessage | IngestDoneMessage | IngestErrorMessage;
