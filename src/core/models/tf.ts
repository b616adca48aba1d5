/**
 * tfjs start-up shared by the tensor families (linear, kNN, MLP): one place that picks the backend.
 *
 * Preference order webgpu > wasm > cpu, each tried only where it can exist (WebGPU needs
 * `navigator.gpu`), so a missing GPU is a fallback with a reason, never a crash. The wasm and webgpu
 * backends are imported lazily: the first paint and the tree-only workers never download them.
 *
 * This module is pure core (no Node imports): where the wasm binaries live is the caller's business.
 * In the browser pass the `?url` imports of the three .wasm files; in Node `src/node/tf-node.ts`
 * resolves node_modules/@tensorflow/tfjs-backend-wasm/dist/ and passes it here.
 */
// The umbrella package, not tfjs-core alone: it is what registers the gradient functions that
// `optimizer.minimize` needs (in Node through tfjs-layers' bundle; tfjs-core's own
// register_all_gradients module cannot be loaded by Node's ESM resolver). It brings the cpu backend too.
import { errorMessage } from '../util/error-message.ts';
import * as tf from '@tensorflow/tfjs';

export { tf };

export type TfBackendName = 'webgpu' | 'wasm' | 'cpu';

export interface InitTfOptions {
  /** Directory prefix ending in '/' or a map from .wasm file name to URL/path (tfjs' setWasmPaths). */
  wasmPaths?: string | Record<string, string>;
  /** Disable wasm threads (vite 8's worker minifier breaks the threaded build; see TOOLCHAIN.md). */
  wasmThreads?: boolean;
}

export interface TfInitResult {
  backend: TfBackendName;
  /** Why this backend: which ones were tried and why they were skipped. */
  reason: string;
}

let wasmRegistered = false;
let webgpuRegistered = false;

/**
 * Starts tfjs on the best backend available, trying `preferred` first when given.
 * Safe to call repeatedly: a backend already active is kept.
 */
export async function initTf(preferred?: TfBackendName, opts: InitTfOptions = {}): Promise<TfInitResult> {
  const order: TfBackendName[] = ['webgpu', 'wasm', 'cpu'];
  const tryOrder = preferred ? [preferred, ...order.filter((b) => b !== preferred)] : order;
  const skipped: string[] = [];
  for (const name of tryOrder) {
    if (tf.getBackend() === name && tf.findBackend(name)) {
      return { backend: name, reason: describe(name, preferred, skipped, true) };
    }
    const why = await prepareBackend(name, opts);
    if (why) {
      skipped.push(`${name}: ${why}`);
      continue;
    }
    try {
      const ok = await tf.setBackend(name);
      if (!ok) {
        skipped.push(`${name}: setBackend returned false`);
        continue;
      }
      await tf.ready();
      return { backend: name, reason: describe(name, preferred, skipped, false) };
    } catch (err) {
      skipped.push(`${name}: ${errorMessage(err)}`);
    }
  }
  throw new Error(`no tfjs backend could start (${skipped.join('; ')})`);
}

/** Registers the backend's code if needed; returns why it cannot run here, or null. */
async function prepareBackend(name: TfBackendName, opts: InitTfOptions): Promise<string | null> {
  if (name === 'cpu') return null;
  if (name === 'webgpu') {
    const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
    if (!nav || !nav.gpu) return 'navigator.gpu is not available';
    if (!webgpuRegistered) {
      await import('@tensorflow/tfjs-backend-webgpu');
      webgpuRegistered = true;
    }
    return null;
  }
  // wasm
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!wasmRegistered) {
    if (opts.wasmThreads === false) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (opts.wasmPaths !== undefined) wasm.setWasmPaths(opts.wasmPaths);
    wasmRegistered = true;
  }
  return null;
}

function describe(name: TfBackendName, preferred: TfBackendName | undefined, skipped: string[], reused: boolean): string {
  const head = reused
    ? `${name} already active`
    : preferred === name
      ? `${name} as requested`
      : preferred
        ? `${name} (fallback from ${preferred})`
        : `${name} (best available)`;
  return skipped.length ? `${head}; skipped ${skipped.join('; ')}` : head;
}
