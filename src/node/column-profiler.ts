/**
 * Ingest's profiling helper in Node (profile.ts, `ColumnProfiler`): a worker thread that profiles
 * half of a big table's numeric columns, reading the shared-memory Frame without a copy. Started as
 * reading begins, so its boot (tsx's loader) overlaps the read.
 */
import { Worker } from 'node:worker_threads';
import type { ColumnProfiler } from '../core/data/profile.ts';
import { profileRequester, type ProfileResponse } from '../core/data/profile-helper-protocol.ts';

export function startColumnProfiler(): ColumnProfiler {
  const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
    workerData: { entry: new URL('./column-profiler-worker.ts', import.meta.url).href },
  });
  const requester = profileRequester(
    (request) => worker.postMessage(request),
    (handler) => worker.on('message', (response: ProfileResponse) => handler(response)),
  );
  worker.on('error', (err) => requester.fail(err));
  worker.on('exit', () => requester.fail(new Error('the profiling thread stopped')));
  return { profile: requester.profile, close: () => void worker.terminate() };
}
