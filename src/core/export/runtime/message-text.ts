/**
 * Bounded renderings of user data for error messages. A message may quote a cell value, a column
 * name, a level or a path; any of them can be megabytes long (a request body is up to 10 MB), and a
 * message is echoed back by serve.mjs and shown in the CLI and the page. Every piece of user data in a
 * message therefore goes through one of these: at most 60 characters of it, then "...".
 */

/** Characters of user text kept in a message. */
export const MESSAGE_TEXT_CHARS = 60;

/** s cut to `max` characters (the last three become "..."), never splitting a surrogate pair. */
export function clipText(s: string, max = MESSAGE_TEXT_CHARS): string {
  if (s.length <= max) return s;
  let end = max - 3;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${s.slice(0, end)}...`;
}

/**
 * s as a JSON string of at most about `max` characters between the quotes, counted after escaping:
 * 57 control characters would otherwise become 342 characters of "\u0001".
 */
export function quoteText(s: string, max = MESSAGE_TEXT_CHARS): string {
  const quoted = JSON.stringify(s.length <= max ? s : clipText(s, max));
  if (quoted.length <= max + 2) return quoted;
  let out = '';
  for (const ch of s) {
    const piece = JSON.stringify(ch).slice(1, -1);
    if (out.length + piece.length > max - 3) return `"${out}..."`;
    out += piece;
  }
  return `"${out}"`;
}

/** A column name, level or other name, quoted as JSON and cut to length. */
export function quoteName(name: string): string {
  return quoteText(String(name));
}

/** A short, safe rendering of an offending value: never its whole text, never its contents if an object. */
export function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return quoteText(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return 'a bigint';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a Date';
  return `a${typeof v === 'object' ? 'n object' : ` ${typeof v}`}`;
}
