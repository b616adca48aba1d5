/**
 * The text of a caught value, for a message: an Error's message, anything else as a string (a
 * worker, a library or a test may throw a string or a plain object). The one way to do this, so
 * that every message reads a caught value alike.
 */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
