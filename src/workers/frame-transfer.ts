import type { Frame } from '../core/data/frame.ts';

/**
 * The ArrayBuffers behind a Frame's columns, each once, to pass as postMessage's transfer list:
 * the page receives the columns without a copy (and the sender's views become empty).
 * Listing one buffer twice would make postMessage throw, hence the Set.
 */
export function frameBuffers(frame: Frame): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const col of frame.columns) {
    const view = col.storage === 'numeric' ? col.values : col.codes;
    // A SharedArrayBuffer is shared, not transferred; only plain ArrayBuffers go in the list.
    if (view.buffer instanceof ArrayBuffer) buffers.add(view.buffer);
  }
  return [...buffers];
}
