import { describe, expect, it } from 'vitest';
import { datasetIdOf } from '../../../src/app/store.ts';

describe('datasetIdOf', () => {
  it("is the file's SHA-256, so the same bytes under another name are stored once", async () => {
    const a = await datasetIdOf(new Blob(['a,b\n1,2\n']), 'one.csv');
    expect(a).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(await datasetIdOf(new Blob(['a,b\n1,2\n']), 'two.csv')).toBe(a);
    expect(await datasetIdOf(new Blob(['a,b\n1,3\n']), 'one.csv')).not.toBe(a);
  });
});
