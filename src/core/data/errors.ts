/**
 * Problems with the input that the user can fix (or must know about). The message is one sentence a
 * person can act on; `kind` is stable for code ('empty', 'no-rows', 'binary' (a NUL anywhere too),
 * 'too-large', 'too-many-columns', 'aborted', 'unterminated-quote', 'line-too-long', 'not-found',
 * 'unreadable'); `line` is 1-based in the file. Messages quote at most 60 characters of any name or
 * value from the file (export/runtime/message-text.ts).
 */
export class IngestError extends Error {
  kind: string;
  line?: number;
  column?: string;

  constructor(kind: string, message: string, where: { line?: number; column?: string } = {}) {
    super(message);
    // The name lets callers without the class (the CLI dispatcher, a worker boundary) recognise it.
    this.name = 'IngestError';
    this.kind = kind;
    if (where.line !== undefined) this.line = where.line;
    if (where.column !== undefined) this.column = where.column;
  }
}

/** Something the reader noticed and handled (renamed headers, ragged rows, encoding fallback...). */
export interface IngestNote {
  kind: string;
  message: string;
  column?: string;
  lines?: number[];
  count?: number;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** "lines 4, 9, 12 and 3 more" style list for messages. */
export function formatLines(lines: readonly number[], total: number): string {
  const shown = lines.join(', ');
  const more = total - lines.length;
  return `${lines.length === 1 && total === 1 ? 'line' : 'lines'} ${shown}${more > 0 ? ` and ${more} more` : ''}`;
}
