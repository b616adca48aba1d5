/** Small helpers for the ingest tests: feed CSV text or bytes to the engine in chunks of a chosen size. */
import { ingestCsv, type IngestOptions, type IngestResult } from '../../../src/core/data/ingest.ts';
import type { Column, Frame } from '../../../src/core/data/frame.ts';
import { cellText, columnByName } from '../../../src/core/data/frame.ts';

export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

/** Ingests `text` (UTF-8) streamed as byte chunks of `chunk` bytes (tiny chunks exercise every boundary). */
export function ingestText(text: string, opts: IngestOptions = {}, chunk = 1 << 20): Promise<IngestResult> {
  return ingestCsv(chunked(new TextEncoder().encode(text), chunk), opts);
}

export function ingestBytes(bytes: Uint8Array, opts: IngestOptions = {}, chunk = 1 << 20): Promise<IngestResult> {
  return ingestCsv(chunked(bytes, chunk), opts);
}

export function col(frame: Frame, name: string): Column {
  return columnByName(frame, name);
}

/** A column's cells as display strings ('' = missing). */
export function cells(frame: Frame, name: string): string[] {
  const c = columnByName(frame, name);
  return Array.from({ length: frame.rows }, (_, i) => cellText(c, i));
}

export function numbers(frame: Frame, name: string): number[] {
  const c = columnByName(frame, name);
  if (c.storage !== 'numeric') throw new Error(`${name} is ${c.type}, not stored as numbers`);
  return Array.from(c.values);
}

export function types(result: IngestResult): Record<string, string> {
  return Object.fromEntries(result.frame.columns.map((c) => [c.name, c.type]));
}

/** The ingest error a promise rejects with (fails the test if it resolves). */
export async function ingestError(p: Promise<unknown>): Promise<{ kind: string; message: string; line?: number; column?: string }> {
  try {
    await p;
  } catch (err) {
    return err as { kind: string; message: string; line?: number; column?: string };
  }
  throw new Error('expected the ingest to fail, but it succeeded');
}
