import { describe, expect, it } from 'vitest';
import { mergeRunBackend, type BackendReport } from '../../../src/app/backend-summary.ts';

const wasm: BackendReport = { backend: 'wasm', reason: 'no GPU', detail: 'SIMD, 2 threads' };
const gpu: BackendReport = { backend: 'webgpu', reason: 'a hardware adapter', detail: 'GPU' };

describe('mergeRunBackend', () => {
  it('is the new report when there was none', () => {
    const next = { workers: [gpu], refit: null };
    expect(mergeRunBackend(null, next)).toBe(next);
  });

  it('keeps a change made during the run (a lost GPU device) when the replaced worker reports again', () => {
    const changed: BackendReport = { ...wasm, reason: 'the GPU device was lost', changedAt: 1234 };
    const merged = mergeRunBackend({ workers: [changed], refit: wasm }, { workers: [gpu], refit: null });
    expect(merged.workers).toEqual([gpu, changed]);
    expect(merged.refit).toBe(wasm);
  });

  it('does not repeat a change the new report already holds', () => {
    const changed: BackendReport = { ...wasm, changedAt: 1 };
    expect(mergeRunBackend({ workers: [changed], refit: null }, { workers: [changed], refit: gpu }).workers).toEqual([changed]);
  });
});
