/**
 * A column's dictionary keyed by bytes in place: raw cell text (as bytes of an ASCII chunk, between
 * two offsets) → the value the builder's string Map holds for it (a level index, or -1 for a blank
 * cell). A repeated categorical cell is then found without cutting a string out of the chunk, which
 * for a few million cells is most of the reading time and of the garbage.
 *
 * Open addressing with linear probing over typed arrays; keys are copied into one byte pool. It
 * only mirrors the builder's Map (column-builder.ts), which stays the truth: a miss goes to the Map.
 * Capped at MAX_ENTRIES distinct keys, past which the builder stops using it (a column that distinct
 * is an identifier or free text, where lookups would mostly miss).
 */

/** Returned by `get` when the key is not in the table. */
export const NOT_FOUND = -2;
export const MAX_ENTRIES = 1 << 16;

/** FNV-1a over bytes[start, end). */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h;
}

export class SpanDict {
  size = 0;
  /** Entry index + 1 per slot; 0 = empty. Length is a power of two, at least twice `size`. */
  private slots = new Int32Array(64);
  private hashes = new Int32Array(32);
  private offsets = new Int32Array(32);
  private lengths = new Int32Array(32);
  private values = new Int32Array(32);
  private pool = new Uint8Array(512);
  private poolUsed = 0;

  /** The value for bytes[start, end) with hash `h` (hashBytes), or NOT_FOUND. */
  get(bytes: Uint8Array, start: number, end: number, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const length = end - start;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const entry = slots[s] - 1;
      if (entry < 0) return NOT_FOUND;
      if (this.hashes[entry] !== h || this.lengths[entry] !== length) continue;
      const pool = this.pool;
      const at = this.offsets[entry] - start;
      let i = start;
      while (i < end && pool[at + i] === bytes[i]) i++;
      if (i === end) return this.values[entry];
    }
  }

  /** Adds bytes[start, end) (not already present) with hash `h`. */
  set(bytes: Uint8Array, start: number, end: number, h: number, value: number): void {
    const length = end - start;
    if (this.size === this.hashes.length) this.growEntries();
    if (this.poolUsed + length > this.pool.length) {
      const pool = new Uint8Array(Math.max(2 * this.pool.length, this.poolUsed + length));
      pool.set(this.pool.subarray(0, this.poolUsed));
      this.pool = pool;
    }
    const entry = this.size++;
    this.pool.set(bytes.subarray(start, end), this.poolUsed);
    this.offsets[entry] = this.poolUsed;
    this.poolUsed += length;
    this.lengths[entry] = length;
    this.hashes[entry] = h;
    this.values[entry] = value;
    if (2 * this.size > this.slots.length) this.rehash(2 * this.slots.length);
    else this.place(entry);
  }

  private place(entry: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let s = this.hashes[entry] & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = entry + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let e = 0; e < this.size; e++) this.place(e);
  }

  private growEntries(): void {
    const n = 2 * this.hashes.length;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes);
    this.offsets = grow(this.offsets);
    this.lengths = grow(this.lengths);
    this.values = grow(this.values);
  }
}
