import { describe, expect, it } from 'vitest';
import { fnv1a, hashCounts, TextHasher, tokenize } from '../../../src/core/prep/text-hash.ts';
import { cat, columnOf, frame, values } from '../../helpers/frames.ts';

describe('text hashing', () => {
  it('hashes with 32-bit FNV-1a (published test vectors)', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('lower-cases and splits on anything but letters and digits', () => {
    expect(tokenize('Hello, World! 42x  café')).toEqual(['hello', 'world', '42x', 'café']);
  });

  it('counts tokens per bucket', () => {
    // "a" → 0xe40c292c % 64 = 44, "b" → 0xe70c2de5 % 64 = 37
    expect([...hashCounts('a b A', 64)].sort()).toEqual([
      [37, 1],
      [44, 2],
    ]);
  });

  it('makes one count column per bucket used in training; missing text is all zeros', () => {
    const f = frame(cat('t', ['a b a', 'b', null], 'text'));
    const step = new TextHasher(['t'], 64);
    step.fit(f);
    const out = step.transform(f);
    expect(out.columns.map((c) => c.name)).toEqual(['t#37', 't#44']);
    expect(values(columnOf(out, 't#44'))).toEqual([2, 0, 0]);
    expect(values(columnOf(out, 't#37'))).toEqual([1, 1, 0]);
    // New words in a scoring file land in their buckets without any vocabulary; unused buckets are ignored.
    const back = TextHasher.fromJSON(JSON.parse(JSON.stringify(step.toJSON())));
    expect(back.transform(frame(cat('t', ['B b hello'], 'text'))).columns.map((c) => values(c)[0])).toEqual([2, 0]);
  });
});
