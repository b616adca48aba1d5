/**
 * The result must not keep the input's text alive. V8 cuts cells out of a chunk as "sliced strings"
 * that pin their parent; levels, names and messages are detached copies, and no regex runs on a
 * chunk (V8's last-match info would pin it). Measured with the GC exposed at run time.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ingestCsv } from '../../../src/core/data/ingest.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('memory', () => {
  it('a 40 MB input string is not retained by the result', async () => {
    const rows = ['id,comment,group,pad'];
    for (let i = 0; i < 150_000; i++) rows.push(`${i},"free text number ${i}, with a comma",g${i % 7},${'p'.repeat(220)}`);
    let text: string | null = rows.join('\n');
    rows.length = 0;
    const size = text.length;
    expect(size).toBeGreaterThan(40_000_000);
    const before = heapAfterGc();
    const result = await ingestCsv(text);
    text = null;
    const grown = heapAfterGc() - before + size; // the input itself was counted in `before`
    expect(result.frame.rows).toBe(150_000);
    expect(result.frame.columns.map((c) => c.type)).toEqual(['identifier', 'text', 'categorical', 'categorical']);
    // The result holds ~5 MB of comment text plus the id levels; the 40 MB input must be gone.
    expect(grown).toBeLessThan(size / 2);
  });
});
