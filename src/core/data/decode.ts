/**
 * Bytes to text, streaming: UTF-8 checked strictly (a fatal decoder), with a fall back to windows-1252
 * (Excel's "CSV" encoding on Western Windows) from the first invalid byte on. Also the checks that must
 * see raw bytes: binary files, the size limit, the BOM, progress and cancellation.
 */
import { IngestError, formatBytes, type IngestNote } from './errors.ts';

export type TextEncodingName = 'utf-8' | 'windows-1252';

export interface DecodeOptions {
  maxBytes: number;
  totalBytes?: number;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes?: number) => void;
  notes: IngestNote[];
}

/** Bytes looked at for the binary check and before the first text is produced. */
const SNIFF_BYTES = 1024;
/** Slice size when the whole input is already in memory (string or Uint8Array): keeps the parser streaming. */
const SLICE = 1 << 20;

/**
 * Streaming UTF-8 → text with windows-1252 fallback. Each piece is decoded on its own after cutting off
 * an incomplete trailing multi-byte sequence (carried to the next piece), so when a piece turns out
 * invalid we know exactly which bytes to decode again as windows-1252.
 */
export class ByteDecoder {
  encoding: TextEncodingName = 'utf-8';
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private carry: Uint8Array = new Uint8Array(0);
  private offset = 0; // bytes decoded before the current piece
  private newlines = 0; // '\n' bytes before the current piece (for the line of a bad byte)
  private sawNonAscii = false;
  private started = false;

  constructor(private readonly notes: IngestNote[]) {}

  push(bytes: Uint8Array): string {
    return this.decode(bytes, false);
  }

  end(): string {
    return this.carry.length ? this.decode(new Uint8Array(0), true) : '';
  }

  private decode(bytes: Uint8Array, final: boolean): string {
    let buf = bytes;
    if (this.carry.length) {
      buf = new Uint8Array(this.carry.length + bytes.length);
      buf.set(this.carry);
      buf.set(bytes, this.carry.length);
    }
    let text: string;
    if (this.encoding === 'windows-1252') {
      text = decodeWindows1252(buf);
      this.carry = new Uint8Array(0);
    } else {
      const cut = final ? buf.length : completeUtf8Length(buf);
      try {
        text = this.utf8.decode(buf.subarray(0, cut));
        this.carry = buf.slice(cut);
        if (text.length !== cut) this.sawNonAscii = true;
        this.newlines += countByte(buf, 10, cut);
        this.offset += cut;
      } catch {
        text = this.fallBack(buf);
      }
    }
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  /** The rest of the input is windows-1252 from the first invalid byte of `buf` on. */
  private fallBack(buf: Uint8Array): string {
    // The decoder refused `buf`, so some byte is invalid; the clamp only guards against disagreement.
    const bad = Math.min(firstInvalidUtf8(buf), buf.length - 1);
    const line = this.newlines + countByte(buf, 10, bad) + 1;
    const at = this.offset + bad;
    const head = bad > 0 ? this.utf8.decode(buf.subarray(0, bad)) : '';
    const tail = decodeWindows1252(buf.subarray(bad));
    const sample = tail.slice(0, 12).split(/[\r\n]/)[0];
    const before =
      this.sawNonAscii || head.length !== bad
        ? ' The part before it was valid UTF-8 (with accents) and was kept as UTF-8, so the file mixes encodings: check it.'
        : '';
    this.notes.push({
      kind: 'encoding',
      message:
        `The file is not valid UTF-8 (first bad byte 0x${buf[bad].toString(16).toUpperCase()} at byte offset ${at}, line ${line}, ` +
        `read as "${sample}"), so it was read as windows-1252 (Excel's Western encoding).${before}`,
      lines: [line],
    });
    this.encoding = 'windows-1252';
    this.carry = new Uint8Array(0);
    return head + tail;
  }
}

/** windows-1252's 0x80–0x9F (the rest is Latin-1). The five unassigned bytes map to C1 controls, as WHATWG says. */
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d,
  0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * windows-1252 to text. Written out because Node's TextDecoder('windows-1252') decodes 0x80–0x9F as
 * Latin-1 (U+0080…), which would turn "€" into an invisible control character.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const block = new Uint16Array(Math.min(bytes.length, 8192));
  for (let at = 0; at < bytes.length; at += block.length) {
    const n = Math.min(block.length, bytes.length - at);
    for (let i = 0; i < n; i++) {
      const b = bytes[at + i];
      block[i] = b >= 0x80 && b < 0xa0 ? CP1252_80_9F[b - 0x80] : b;
    }
    parts.push(String.fromCharCode.apply(null, n === block.length ? (block as unknown as number[]) : (Array.from(block.subarray(0, n)) as number[])));
  }
  return parts.join('');
}

/** Length of `buf` without an incomplete multi-byte sequence at its end (up to 3 bytes). */
function completeUtf8Length(buf: Uint8Array): number {
  const n = buf.length;
  let i = n - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && (buf[i] & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return n;
  const lead = buf[i];
  const need = lead >= 0xf0 && lead <= 0xf7 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > 1 && i + need > n ? i : n;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (WHATWG rules); buf.length if none. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    if (buf[i + 1] < lo || buf[i + 1] > hi) return i;
    for (let k = 2; k <= need; k++) if ((buf[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return n;
}

function countByte(buf: Uint8Array, byte: number, end: number): number {
  let count = 0;
  let i = buf.indexOf(byte);
  while (i !== -1 && i < end) {
    count++;
    i = buf.indexOf(byte, i + 1);
  }
  return count;
}

/** Refuses binary files by their first bytes: known container signatures, NUL bytes (two or more), or mostly control bytes. */
export function checkNotBinary(head: Uint8Array): void {
  const sig = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  const what = sig(0x50, 0x4b, 0x03, 0x04)
    ? 'a ZIP archive (an .xlsx workbook is one): open it in a spreadsheet and save the sheet as CSV'
    : sig(0x1f, 0x8b)
      ? 'gzip-compressed: decompress it first'
      : sig(0xd0, 0xcf, 0x11, 0xe0)
        ? 'an old Excel/Office file (.xls): save the sheet as CSV'
        : sig(0x25, 0x50, 0x44, 0x46)
          ? 'a PDF document, not a table'
          : sig(0xff, 0xfe) || sig(0xfe, 0xff)
            ? 'UTF-16 text: save it as "CSV UTF-8" instead'
            : null;
  if (what) throw new IngestError('binary', `This is not a CSV file: it is ${what}.`, { line: 1 });
  // Several NULs: binary or UTF-16. A single one in text is left to the reader, which names its line
  // and column (as it does for a NUL anywhere later in the file).
  const nul = head.indexOf(0);
  if (nul !== -1 && head.indexOf(0, nul + 1) !== -1) {
    const line = countByte(head, 10, nul) + 1;
    throw new IngestError(
      'binary',
      `This does not look like a CSV text file: it contains a NUL byte (byte ${nul}, line ${line}), as binary files and UTF-16 text do. Save the data as CSV (UTF-8).`,
      { line },
    );
  }
  let control = 0;
  for (const b of head) if ((b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12) || b === 0x7f) control++;
  if (head.length >= 16 && control > head.length * 0.1) {
    throw new IngestError(
      'binary',
      `This does not look like a CSV text file: ${control} of its first ${head.length} bytes are control characters. Save the data as CSV (UTF-8).`,
      { line: 1 },
    );
  }
}

function checkTextNotBinary(head: string): void {
  const nul = head.indexOf('\u0000');
  if (nul !== -1 && head.indexOf('\u0000', nul + 1) !== -1) {
    const line = head.slice(0, nul).split('\n').length;
    throw new IngestError('binary', `This does not look like CSV text: it contains a NUL character (line ${line}).`, { line });
  }
}

function tooLarge(bytes: number, maxBytes: number, known: boolean): IngestError {
  return new IngestError(
    'too-large',
    `The file is ${known ? '' : 'larger than '}${formatBytes(bytes)}, above the ${formatBytes(maxBytes)} limit for loading in the browser. ` +
      'Use a sample of the rows (or fewer columns), or raise the limit if this machine has the memory.',
  );
}

/** Throws before anything is read when the size is known to be over the limit. */
export function checkSize(totalBytes: number | undefined, maxBytes: number): void {
  if (totalBytes !== undefined && totalBytes > maxBytes) throw tooLarge(totalBytes, maxBytes, true);
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new IngestError('aborted', 'Loading the file was cancelled.');
}

/** Gives the event loop a turn so an abort (or a worker message) can arrive while parsing in-memory input. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The source as a stream of text pieces (any size, possibly empty). `state.encoding` tells which
 * decoding was used once the stream is done.
 */
export async function* decodeSource(
  source: string | Uint8Array | AsyncIterable<Uint8Array>,
  opts: DecodeOptions,
  state: { encoding: TextEncodingName },
): AsyncGenerator<string> {
  const { maxBytes, signal, onProgress } = opts;
  if (typeof source === 'string') {
    // Already text: sizes and progress are in UTF-16 code units, close to bytes for CSVs.
    checkSize(source.length, maxBytes);
    checkTextNotBinary(source.slice(0, SNIFF_BYTES));
    const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
    for (let at = 0; at < text.length; at += SLICE) {
      checkAborted(signal);
      yield text.slice(at, at + SLICE);
      onProgress?.(Math.min(at + SLICE, text.length), text.length);
      if (signal) await yieldToEventLoop();
    }
    return;
  }

  const decoder = new ByteDecoder(opts.notes);
  const total = source instanceof Uint8Array ? source.length : opts.totalBytes;
  checkSize(total, maxBytes);
  let read = 0;
  let head: Uint8Array[] | null = []; // bytes held back until the binary check has SNIFF_BYTES to look at
  let headBytes = 0;

  const accept = (chunk: Uint8Array): string => {
    if (head) {
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes < SNIFF_BYTES) return '';
      const joined = concat(head, headBytes);
      head = null;
      checkNotBinary(joined.subarray(0, SNIFF_BYTES));
      return decoder.push(joined);
    }
    return decoder.push(chunk);
  };

  const chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array> = source instanceof Uint8Array ? slices(source) : source;
  for await (const chunk of chunks) {
    checkAborted(signal);
    read += chunk.length;
    if (read > maxBytes) throw tooLarge(read, maxBytes, false);
    const text = accept(chunk);
    if (text) yield text;
    onProgress?.(read, total);
    if (signal && source instanceof Uint8Array) await yieldToEventLoop();
  }
  if (head) {
    const joined = concat(head, headBytes);
    checkNotBinary(joined);
    const text = decoder.push(joined);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
  state.encoding = decoder.encoding;
}

function* slices(bytes: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += SLICE) yield bytes.subarray(at, at + SLICE);
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
