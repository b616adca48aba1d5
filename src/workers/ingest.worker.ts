/**
 * The ingest worker: reads one CSV File as a stream, hands the bytes to the engine
 * (src/core/data/ingest.ts), and posts progress and then the result. The page never parses;
 * a large file does not freeze it, and terminating this worker cancels the read.
 */
import { ingestCsv, IngestError } from '../core/data/ingest.ts';
import { HEAD_BYTES, SAMPLE_SEED, budgetFromEnvironment, planMemory, shapeFromHead, type MemoryPlan } from '../core/data/memory-plan.ts';
import { shareFrame } from '../core/data/shared-frame.ts';
import type { ColumnProfiler } from '../core/data/profile.ts';
import { profileRequester, type ProfileResponse } from '../core/data/profile-helper-protocol.ts';
import { clipText } from '../core/export/runtime/message-text.ts';
import { errorMessage } from '../core/util/error-message.ts';
import { frameBuffers } from './frame-transfer.ts';
import { streamChunks } from '../core/util/stream-chunks.ts';
import type { IngestErrorInfo, IngestRequest, IngestResponse } from './ingest-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** Progress at most this often: a message per 64 KiB chunk would flood the page on a 100 MB file. */
const PROGRESS_INTERVAL_MS = 50;

function post(message: IngestResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function errorInfo(err: unknown): IngestErrorInfo {
  if (err instanceof IngestError) {
    return { kind: err.kind, message: err.message, line: err.line, column: err.column };
  }
  const message = errorMessage(err);
  return { kind: 'internal', message: `Unexpected failure while reading the file: ${clipText(message, 500)}` };
}

/** The memory plan from the file's head, or null when the head is not a table (the full read then says why). */
async function plan(request: IngestRequest): Promise<MemoryPlan | null> {
  const { file } = request;
  try {
    const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
    const shape = await shapeFromHead(head, file.size <= HEAD_BYTES);
    return planMemory(file.size, shape, budgetFromEnvironment(request.memory ?? {}), request.maxRows, request.stratifyBy);
  } catch {
    return null;
  }
}

async function ingest(request: IngestRequest): Promise<void> {
  const { file } = request;
  const totalBytes = file.size;
  // Before reading: what will fit. The page shows the plan's message while the file is read.
  const memoryPlan = await plan(request);
  if (memoryPlan) post({ type: 'plan', plan: memoryPlan });
  let lastPost = 0;
  const result = await ingestCsv(streamChunks(file.stream()), {
    totalBytes,
    // With a plan, memory is bounded by the rows kept, not by the file's size.
    maxBytes: memoryPlan ? Infinity : request.maxBytes,
    maxRows: memoryPlan ? (memoryPlan.maxRows ?? undefined) : request.maxRows,
    sampleSeed: SAMPLE_SEED,
    stratifyBy: request.stratifyBy,
    shareMemory: true,
    columnProfiler: startColumnProfiler,
    onProgress: (bytesRead: number) => {
      const now = performance.now();
      if (now - lastPost < PROGRESS_INTERVAL_MS) return;
      lastPost = now;
      post({ type: 'progress', bytesRead, totalBytes });
    },
  });
  // Shared memory: the page, the experiment worker and every trial worker then read one copy.
  shareFrame(result.frame);
  post({ type: 'done', result }, frameBuffers(result.frame));
}

/** A nested worker that profiles half of a big file's numeric columns (profile.ts, `profileFrameShared`). */
function startColumnProfiler(): ColumnProfiler {
  const worker = new Worker(new URL('./column-profiler.worker.ts', import.meta.url), { type: 'module', name: 'sieve-profile' });
  const requester = profileRequester(
    (request) => worker.postMessage(request),
    (handler) => (worker.onmessage = (event: MessageEvent<ProfileResponse>) => handler(event.data)),
  );
  worker.onerror = (event) => {
    event.preventDefault();
    requester.fail(new Error(event.message || 'the profiling worker failed'));
  };
  return { profile: requester.profile, close: () => worker.terminate() };
}

scope.onmessage = (event: MessageEvent<IngestRequest>) => {
  if (event.data?.type !== 'ingest') return;
  ingest(event.data).catch((err: unknown) => post({ type: 'error', error: errorInfo(err) }));
};
