/**
 * The ingest worker: reads one CSV File as a stream, hands the bytes to the engine
 * (src/core/data/ingest.ts), and posts progress and then the result. The page never parses;
 * a large file does not freeze it, and terminating this worker cancels the read.
 */
import { ingestCsv, IngestError } from '../core/data/ingest.ts';
import { shareFrame } from '../core/data/shared-frame.ts';
import { clipText } from '../core/export/runtime/message-text.ts';
import { frameBuffers } from './frame-transfer.ts';
import { streamChunks } from './stream-chunks.ts';
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
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal', message: `Unexpected failure while reading the file: ${clipText(message, 500)}` };
}

async function ingest(request: IngestRequest): Promise<void> {
  const { file, maxBytes } = request;
  const totalBytes = file.size;
  let lastPost = 0;
  const result = await ingestCsv(streamChunks(file.stream()), {
    totalBytes,
    maxBytes,
    shareMemory: true,
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

scope.onmessage = (event: MessageEvent<IngestRequest>) => {
  if (event.data?.type !== 'ingest') return;
  ingest(event.data).catch((err: unknown) => post({ type: 'error', error: errorInfo(err) }));
};
