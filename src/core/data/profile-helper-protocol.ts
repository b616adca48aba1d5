/**
 * Messages between ingest and its column-profiling helper thread (profile.ts, `ColumnProfiler`):
 * Node's worker thread (src/node/column-profiler.ts) and the page's nested worker
 * (src/workers/column-profiler.ts) speak the same two messages.
 */
import { errorMessage } from '../util/error-message.ts';
import type { Frame } from './frame.ts';
import type { ColumnInference } from './infer.ts';
import { profileColumn, type ProfiledColumn } from './profile.ts';

export interface ProfileRequest {
  id: number;
  /** Only the columns to profile (the Frame's numeric columns, in shared memory). */
  frame: Frame;
  inference: (ColumnInference | undefined)[];
}

export type ProfileResponse = { id: number; columns: ProfiledColumn[] } | { id: number; error: string };

/** The helper's side: profiles every column of the request's frame. */
export function answerProfileRequest(request: ProfileRequest): ProfileResponse {
  try {
    const { frame, inference } = request;
    return { id: request.id, columns: frame.columns.map((col, k) => profileColumn(col, frame.rows, inference[k])) };
  } catch (err) {
    return { id: request.id, error: errorMessage(err) };
  }
}

/**
 * The ingest side, over any port with postMessage and a message callback: sends the columns at
 * `indices` (sliced out of the frame, so nothing else is cloned) and resolves with their profiles.
 */
export function profileRequester(post: (request: ProfileRequest) => void, onMessage: (handler: (response: ProfileResponse) => void) => void) {
  let nextId = 1;
  const pending = new Map<number, { resolve: (c: ProfiledColumn[]) => void; reject: (e: Error) => void }>();
  onMessage((response) => {
    const p = pending.get(response.id);
    pending.delete(response.id);
    if (!p) return;
    if ('error' in response) p.reject(new Error(`profiling columns in the helper thread failed: ${response.error}`));
    else p.resolve(response.columns);
  });
  return {
    profile(frame: Frame, indices: number[], inference: (ColumnInference | undefined)[]): Promise<ProfiledColumn[]> {
      const id = nextId++;
      return new Promise<ProfiledColumn[]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        post({ id, frame: { rows: frame.rows, columns: indices.map((j) => frame.columns[j]) }, inference });
      });
    },
    /** Rejects what is still waiting (the helper stopped). */
    fail(error: Error): void {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    },
  };
}
