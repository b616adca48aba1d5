/**
 * The one cancellation error: `name === 'AbortError'`, as fetch and AbortSignal give it, so every
 * layer (a fit, a trial, a worker pool, a file read) can tell a cancel from a failure the same way.
 */

export function abortError(message = 'the run was cancelled'): Error {
  const err = new Error(message);
  err.name = 'AbortError';
  return err;
}

/** A cancellation, whoever raised it (this module's errors, a DOMException from the platform). */
export function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}
