/**
 * The profile computed with a helper thread (profile.ts `profileFrameShared`, Node's worker thread in
 * src/node/column-profiler.ts) is exactly the one-thread profile, on real tables of every shape.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestCsv, PARALLEL_PROFILE_BYTES } from '../../../src/core/data/ingest.ts';
import { profileFrame, profileFrameShared, type ColumnProfiler } from '../../../src/core/data/profile.ts';
import { isShared } from '../../../src/core/data/shared-frame.ts';
import { startColumnProfiler } from '../../../src/node/column-profiler.ts';
import { readCsvFile } from '../../../src/node/read-csv.ts';
import { datasetPath } from '../../helpers/datasets.ts';

describe('profiling with a helper thread', () => {
  for (const name of ['adult', 'california_housing', 'titanic', 'ames_housing']) {
    it(`${name}: the same profile as one thread`, async () => {
      // A read below PARALLEL_PROFILE_BYTES profiles on one thread: the reference.
      const { frame, profile } = await readCsvFile(datasetPath(name), { columnProfiler: undefined });
      expect(isShared(frame)).toBe(true);
      const helper = startColumnProfiler();
      try {
        const shared = await profileFrameShared(frame, undefined, helper);
        expect(shared).toEqual(profileFrame(frame));
        // The read's own profile (made with the reader's inference) agrees on every count.
        expect(shared.columns.map((c) => [c.name, c.distinct, c.missing])).toEqual(profile.columns.map((c) => [c.name, c.distinct, c.missing]));
      } finally {
        helper.close();
      }
    }, 60_000);
  }

  it('ingest of a file from PARALLEL_PROFILE_BYTES on uses the helper, for numeric columns only, and profiles as one thread does', async () => {
    const bytes = new Uint8Array(fs.readFileSync(datasetPath('adult')));
    const asked: string[][] = [];
    const counting = (): ColumnProfiler => {
      const real = startColumnProfiler();
      return {
        profile: (frame, indices, inference) => {
          asked.push(indices.map((j) => frame.columns[j].name));
          return real.profile(frame, indices, inference);
        },
        close: () => real.close(),
      };
    };
    // totalBytes stands for a big file's size (the helper is started from it, as reading begins).
    const helped = await ingestCsv(bytes, { shareMemory: true, totalBytes: PARALLEL_PROFILE_BYTES, columnProfiler: counting });
    const alone = await ingestCsv(bytes, { shareMemory: true });
    expect(asked).toHaveLength(1);
    expect(asked[0].length).toBeGreaterThan(0);
    for (const name of asked[0]) expect(helped.frame.columns.find((c) => c.name === name)?.storage).toBe('numeric');
    expect(helped.profile).toEqual(alone.profile);
  }, 60_000);

  it('a helper that fails leaves the profile to this thread', async () => {
    const { frame } = await readCsvFile(datasetPath('titanic'));
    const broken: ColumnProfiler = { profile: () => Promise.reject(new Error('no thread')), close: () => undefined };
    expect(await profileFrameShared(frame, undefined, broken)).toEqual(profileFrame(frame));
  });
});
