/**
 * One copy of the data for every worker. A Frame whose columns sit in SharedArrayBuffers is shared,
 * not copied, when it is posted to a worker (a Web Worker, or a Node worker thread): the page's trial
 * workers, its experiment worker and the page itself then read the same bytes, where plain buffers
 * would be cloned once per worker (a 1M-row × 25-column table: ~180 MB a copy).
 *
 * SharedArrayBuffer exists in Node and in a crossOriginIsolated page (Sieve's is, for wasm threads);
 * elsewhere the frame is returned unchanged and each worker gets its own copy, as before. The data is
 * never written after ingest, so sharing needs no locks.
 */
import type { Column, Frame } from './frame.ts';

export function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  // Node has no crossOriginIsolated; a browser context without isolation has no usable SAB.
  return isolated === undefined || isolated === true;
}

/** Whether every column of the frame already lives in shared memory. */
export function isShared(frame: Frame): boolean {
  return frame.columns.every((c) => (c.storage === 'numeric' ? c.values.buffer : c.codes.buffer) instanceof SharedArrayBuffer);
}

/**
 * Moves each column of the frame, in place, into a SharedArrayBuffer of exactly its size, and returns
 * the frame. Column by column, so the peak is one column over the frame, not a second frame (the old
 * array is garbage as soon as its column is replaced, unless the caller holds it elsewhere).
 */
export function shareFrame(frame: Frame): Frame {
  if (!canShareMemory() || isShared(frame)) return frame;
  for (let j = 0; j < frame.columns.length; j++) frame.columns[j] = shareColumn(frame.columns[j]);
  return frame;
}

function shareColumn(col: Column): Column {
  if ((col.storage === 'numeric' ? col.values.buffer : col.codes.buffer) instanceof SharedArrayBuffer) return col;
  if (col.storage === 'numeric') {
    const values = new Float64Array(new SharedArrayBuffer(col.values.length * 8));
    values.set(col.values);
    return { ...col, values };
  }
  const codes = new Int32Array(new SharedArrayBuffer(col.codes.length * 4));
  codes.set(col.codes);
  return { ...col, codes };
}
