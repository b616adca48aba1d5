/**
 * tfjs in Node: the wasm backend with its binaries read from node_modules, cpu as the fallback.
 * Core's `initTf` must not import Node modules, so the path resolution lives here.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { initTf, type TfBackendName, type TfInitResult } from '../core/models/tf.ts';

/** Absolute directory (with trailing separator) holding tfjs-backend-wasm's .wasm files. */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkg), 'dist') + path.sep;
}

/** Starts tfjs for Node: wasm unless `preferred` says otherwise; falls back to cpu with a reason. */
export async function initTfNode(preferred: TfBackendName = 'wasm'): Promise<TfInitResult> {
  return initTf(preferred, { wasmPaths: wasmDistDir() });
}
