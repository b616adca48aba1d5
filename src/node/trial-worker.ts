/** Worker-thread side of the Node trial pool: receives the context once, then runs trial specs. */
import { parentPort } from 'node:worker_threads';
import { runTrial } from '../core/automl/trial.ts';
import type { TrialContext, TrialSpec } from '../core/automl/types.ts';
import { errorMessage } from '../core/util/error-message.ts';
import { initTfNode } from './tf-node.ts';

let ctx: TrialContext | null = null;
const port = parentPort!;

port.on('message', async (msg: { type: 'init'; ctx: TrialContext } | { type: 'trial'; spec: TrialSpec }) => {
  if (msg.type === 'init') {
    ctx = msg.ctx;
    await initTfNode();
    port.postMessage({ type: 'ready' });
    return;
  }
  try {
    if (!ctx) throw new Error('trial before init');
    const result = await runTrial(ctx, msg.spec);
    port.postMessage({ type: 'result', result }, result.oof ? [result.oof.buffer as ArrayBuffer] : []);
  } catch (err) {
    port.postMessage({ type: 'error', id: msg.spec.id, message: errorMessage(err) });
  }
});
