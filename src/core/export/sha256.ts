/**
 * SHA-256 (FIPS 180-4) in plain TypeScript: synchronous, dependency-free and the same everywhere —
 * the browser (also where crypto.subtle is missing: pages not served over https or localhost), Node,
 * workers and the exported predict.mjs, which checks its model file with it. Checked against the
 * FIPS test vectors and node:crypto in test/unit/export/sha256.test.ts.
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** Hex SHA-256 of bytes, or of a string's UTF-8 bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  return new Sha256().update(typeof data === 'string' ? new TextEncoder().encode(data) : data).hex();
}

/**
 * The incremental form: feed the input in pieces of any size (a file read slice by slice), then
 * take the digest once. Holds one 64-byte block of state, so hashing a file needs no copy of it.
 */
export class Sha256 {
  private readonly h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  private readonly w = new Uint32Array(64);
  private readonly pending = new Uint8Array(64);
  private pendingLength = 0;
  private length = 0;

  update(bytes: Uint8Array): this {
    let off = 0;
    const n = bytes.length;
    this.length += n;
    if (this.pendingLength > 0) {
      const take = Math.min(64 - this.pendingLength, n);
      this.pending.set(bytes.subarray(0, take), this.pendingLength);
      this.pendingLength += take;
      off = take;
      if (this.pendingLength < 64) return this;
      block(this.pending, 0, this.w, this.h);
      this.pendingLength = 0;
    }
    // Whole blocks straight from the input; the rest waits for the next piece or the digest.
    const whole = off + (n - off) - ((n - off) % 64);
    for (; off < whole; off += 64) block(bytes, off, this.w, this.h);
    this.pending.set(bytes.subarray(off), 0);
    this.pendingLength = n - off;
    return this;
  }

  /** The digest as lowercase hex; the hasher is spent afterwards. */
  hex(): string {
    const tailLen = this.pendingLength;
    const tail = new Uint8Array(tailLen + 9 > 64 ? 128 : 64);
    tail.set(this.pending.subarray(0, tailLen));
    tail[tailLen] = 0x80;
    const bits = this.length * 8;
    const view = new DataView(tail.buffer);
    view.setUint32(tail.length - 8, Math.floor(bits / 2 ** 32));
    view.setUint32(tail.length - 4, bits >>> 0);
    for (let off = 0; off < tail.length; off += 64) block(tail, off, this.w, this.h);
    let hex = '';
    for (const v of this.h) hex += v.toString(16).padStart(8, '0');
    return hex;
  }
}

/** SHA-256 of a Blob (a File of any size), read 2 MB at a time: it never sits whole in memory, and on
 * the page's main thread each slice is a short task. */
export async function sha256OfBlob(blob: Blob, sliceBytes = 2 << 20): Promise<string> {
  const hasher = new Sha256();
  for (let at = 0; at < blob.size; at += sliceBytes) {
    hasher.update(new Uint8Array(await blob.slice(at, at + sliceBytes).arrayBuffer()));
  }
  return hasher.hex();
}

function block(b: Uint8Array, off: number, w: Uint32Array, h: Uint32Array): void {
  for (let t = 0; t < 16; t++) {
    const i = off + 4 * t;
    w[t] = (b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];
  }
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15];
    const y = w[t - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
  }
  let a = h[0],
    bb = h[1],
    c = h[2],
    d = h[3],
    e = h[4],
    f = h[5],
    g = h[6],
    hh = h[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (hh + S1 + ch + K[t] + w[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & bb) ^ (a & c) ^ (bb & c);
    const t2 = (S0 + maj) | 0;
    hh = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = bb;
    bb = a;
    a = (t1 + t2) | 0;
  }
  h[0] += a;
  h[1] += bb;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}
