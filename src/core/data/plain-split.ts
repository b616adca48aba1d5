/**
 * Where the delimiters and line breaks are in a chunk of CSV text that holds no quote character: such
 * a chunk splits at every delimiter and every line break (papaparse does the same for it, with
 * String.split), so one pass finds them all. The reader (csv-reader.ts) then applies its row rules to
 * these marks and hands the builders cell spans instead of strings.
 *
 * An ASCII chunk is also written out as bytes (TextEncoder.encodeInto) and scanned there: a loop over
 * a Uint8Array is several times faster than charCodeAt or indexOf over the string in V8, and the
 * column builders parse numbers from the same bytes (tokens.ts, parseNumberBytes). Offsets are the
 * same in both, since every ASCII character is one byte. Other chunks are scanned with indexOf.
 */

export class PlainSplitter {
  /** Delimiter positions, and line ends stored as ~position (negative); the last mark is always a line end. */
  marks = new Int32Array(0);
  /** The chunk's bytes when it is ASCII (valid up to the chunk's length), else null. */
  bytes: Uint8Array | null = null;
  private buffer = new Uint8Array(0);
  private readonly encoder = new TextEncoder();

  /**
   * Marks the delimiters and line breaks of `input` before `stop` (the end of the last complete record,
   * which gets a line-end mark whether or not a line break follows it). Returns the number of marks.
   */
  scan(input: string, stop: number, delimiter: string, newline: string): number {
    const need = input.length + 1;
    if (this.marks.length < need) this.marks = new Int32Array(Math.max(need, 2 * this.marks.length));
    if (this.buffer.length < input.length) this.buffer = new Uint8Array(Math.max(input.length, 2 * this.buffer.length));
    const done = this.encoder.encodeInto(input, this.buffer);
    // Any non-ASCII character takes two bytes or more, so equal counts mean every character is ASCII.
    this.bytes = done.read === input.length && done.written === input.length ? this.buffer : null;
    return this.bytes ? this.scanBytes(this.bytes, stop, delimiter, newline) : this.scanText(input, stop, delimiter, newline);
  }

  private scanBytes(b: Uint8Array, stop: number, delimiter: string, newline: string): number {
    const marks = this.marks;
    const d = delimiter.charCodeAt(0);
    const nl = newline.charCodeAt(0);
    const pair = newline.length === 2;
    let m = 0;
    for (let i = 0; i < stop; i++) {
      const c = b[i];
      if (c === d) marks[m++] = i;
      else if (c === nl && (!pair || (i + 1 < stop && b[i + 1] === 10))) marks[m++] = ~i;
    }
    marks[m++] = ~stop;
    return m;
  }

  private scanText(input: string, stop: number, delimiter: string, newline: string): number {
    const marks = this.marks;
    let m = 0;
    let pos = 0;
    let nextDelimiter = input.indexOf(delimiter);
    for (;;) {
      let lineEnd = input.indexOf(newline, pos);
      if (lineEnd === -1 || lineEnd > stop) lineEnd = stop;
      while (nextDelimiter !== -1 && nextDelimiter < lineEnd) {
        marks[m++] = nextDelimiter;
        nextDelimiter = input.indexOf(delimiter, nextDelimiter + 1);
      }
      marks[m++] = ~lineEnd;
      if (lineEnd >= stop) return m;
      pos = lineEnd + newline.length;
      if (nextDelimiter !== -1 && nextDelimiter < pos) nextDelimiter = input.indexOf(delimiter, pos);
    }
  }
}
