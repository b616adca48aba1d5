/**
 * A ReadableStream as an AsyncIterable. Chromium can iterate streams directly, but Safari could not
 * until recently, and the reader API works everywhere. Breaking out of the loop cancels the stream,
 * so a refused (too large) file stops being read from disk.
 */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
