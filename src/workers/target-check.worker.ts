/**
 * Target warnings (class imbalance, leakage) for the Goal form, off the main thread: on a 50,000-row
 * table the leakage scan takes about 150 ms, a visible stall if it ran in the page on every choice.
 * The page sends the Frame once per dataset, then one request per target choice.
 */
import { targetWarnings } from '../core/data/profile.ts';
import type { Frame } from '../core/data/frame.ts';
import { errorMessage } from '../core/util/error-message.ts';
import type { TargetCheckRequest, TargetCheckResponse } from './target-check-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let frame: Frame | null = null;

scope.onmessage = (event: MessageEvent<TargetCheckRequest>) => {
  const message = event.data;
  if (message.type === 'frame') {
    frame = message.frame;
    return;
  }
  let response: TargetCheckResponse;
  try {
    if (!frame) throw new Error('no dataset loaded');
    response = { type: 'warnings', id: message.id, warnings: targetWarnings(frame, message.target) };
  } catch (err) {
    response = { type: 'error', id: message.id, message: errorMessage(err) };
  }
  scope.postMessage(response);
};
