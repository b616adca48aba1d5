/**
 * The page's profiling helper: a worker the ingest worker starts for a big file (profile.ts,
 * `ColumnProfiler`), profiling half of the numeric columns from the shared-memory Frame.
 */
import { answerProfileRequest, type ProfileRequest } from '../core/data/profile-helper-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<ProfileRequest>) => scope.postMessage(answerProfileRequest(event.data));
