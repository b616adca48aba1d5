/**
 * A trial worker: picks its compute backend once (WebGPU > WASM > CPU, see backend.ts), receives the
 * run's data once, then cross-validates one trial spec at a time with the engine's `runTrial`.
 *
 * A tensor-family trial on WebGPU is guarded: if the GPU device is lost while it runs, the trial is
 * abandoned and run again on WASM (and so is every later one); if it fails on WebGPU for another
 * reason (a kernel the WebGPU backend lacks), it is retried once on WASM.
 */
import { runTrial } from '../core/automl/trial.ts';
import type { TrialContext, TrialResult, TrialSpec } from '../core/automl/types.ts';
import { errorMessage } from '../core/util/error-message.ts';
import { startBackend, TENSOR_FAMILIES, type ComputeBackend } from './backend.ts';
import type { TrialWorkerRequest, TrialWorkerResponse } from './trial-protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let ctx: TrialContext | null = null;
let backend: Promise<ComputeBackend> | null = null;

function post(message: TrialWorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

async function guardedTrial(compute: ComputeBackend, context: TrialContext, spec: TrialSpec): Promise<TrialResult> {
  if (!TENSOR_FAMILIES.has(spec.family) || compute.name !== 'webgpu') return runTrial(context, spec);
  const controller = new AbortController();
  const outcome = await Promise.race([
    runTrial(context, spec, controller.signal).then(
      (result) => ({ kind: 'done' as const, result }),
      (error: unknown) => ({ kind: 'error' as const, error }),
    ),
    compute.lost.then((why) => ({ kind: 'lost' as const, why })),
  ]);
  if (outcome.kind === 'lost') {
    // The abandoned fit may be waiting on a buffer that never maps; abort stops it at its next check.
    controller.abort();
    await compute.fallBackFromGpu(outcome.why);
    return runTrial(context, spec);
  }
  if (outcome.kind === 'error') throw outcome.error;
  if (outcome.result.status !== 'failed') return outcome.result;
  if (compute.deviceLost) {
    await compute.fallBackFromGpu(compute.deviceLost);
    return runTrial(context, spec);
  }
  return compute.withWasm(() => runTrial(context, spec));
}

async function handle(message: TrialWorkerRequest): Promise<void> {
  switch (message.type) {
    case 'setup': {
      backend = startBackend(message.prefs).then((compute) => {
        post({ type: 'backend', report: compute.report });
        compute.onChange((report) => post({ type: 'backend', report }));
        // A device lost between trials moves the worker to WASM before the next one starts.
        void compute.lost.then((why) => compute.fallBackFromGpu(why));
        return compute;
      });
      return;
    }
    case 'init': {
      ctx = message.ctx;
      if (backend) await backend;
      post({ type: 'ready' });
      return;
    }
    case 'trial': {
      const spec = message.spec;
      try {
        if (!ctx || !backend) throw new Error('trial worker used before setup and init');
        const result = await guardedTrial(await backend, ctx, spec);
        post({ type: 'result', result }, result.oof ? [result.oof.buffer as ArrayBuffer] : []);
      } catch (err) {
        post({ type: 'error', id: spec.id, message: errorMessage(err) });
      }
      return;
    }
    case 'lose-device': {
      if (backend) (await backend).loseDevice();
      return;
    }
  }
}

scope.onmessage = (event: MessageEvent<TrialWorkerRequest>) => {
  void handle(event.data);
};
