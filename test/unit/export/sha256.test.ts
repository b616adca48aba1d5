import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256Hex, sha256OfBlob } from '../../../src/core/export/sha256.ts';

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });
  it('agrees with node:crypto around every block boundary, whole and fed in pieces', async () => {
    for (const n of [1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000, 70_001]) {
      const bytes = new Uint8Array(crypto.randomBytes(n));
      const expected = crypto.createHash('sha256').update(bytes).digest('hex');
      expect(sha256Hex(bytes)).toBe(expected);
      expect(await sha256OfBlob(new Blob([bytes]), 7)).toBe(expected);
      expect(await sha256OfBlob(new Blob([bytes]), 64)).toBe(expected);
      // Pieces of uneven sizes that straddle block boundaries in every way.
      const hasher = new Sha256();
      let at = 0;
      for (let k = 1; at < n; k = 1 + ((k * 7 + 3) % 131)) {
        hasher.update(bytes.subarray(at, at + k));
        at += k;
      }
      expect(hasher.hex()).toBe(expected);
    }
    expect(sha256Hex('héllo ✓')).toBe(crypto.createHash('sha256').update('héllo ✓', 'utf8').digest('hex'));
  });
});
