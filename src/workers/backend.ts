/**
 * Which tfjs backend a worker computes on, and why — WebGPU > WASM > CPU — plus the fallbacks a
 * long run needs: a lost GPU device moves the worker to WASM for good, and a trial that fails on
 * WebGPU (a kernel tfjs-backend-webgpu lacks throws instead of falling back) is retried on WASM.
 *
 * WebGPU is used only when `navigator.gpu` gives a hardware adapter whose result for a small matMul
 * matches a plain-JS product. A *fallback* adapter (Chromium's SwiftShader, a CPU rasteriser) is
 * correct but 40–60x slower than WASM, so it counts as "no GPU" unless a test asks for it.
 *
 * The three .wasm binaries are imported with `?url`: the app serves them from its own origin (the
 * CSP allows nothing else) and the service worker precaches them for offline use.
 */
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { tf, type TfBackendName } from '../core/models/tf.ts';
import { errorMessage } from '../core/util/error-message.ts';
import type { BackendReport } from '../app/backend-summary.ts';

/** What the page asks of a worker's backend (sent with the warm-up and each run). */
export interface BackendPreferences {
  /** Trial workers running side by side (WASM threads per worker = cores / workers). */
  workers: number;
  /** Try WebGPU at all (the experiment worker's final refit does not). */
  gpu: boolean;
  /** Accept a software (fallback) WebGPU adapter: for tests of the GPU path only, it is slow. */
  allowSoftwareGpu: boolean;
}

/** The families whose estimators compute with tfjs tensors (the others are typed-array loops). */
export const TENSOR_FAMILIES: ReadonlySet<string> = new Set(['linear', 'knn', 'mlp']);

/** Largest tolerated |GPU − CPU| in the self-test, relative to the magnitude of the product. */
const SELF_TEST_TOLERANCE = 1e-3;

let wasmPrepared = false;
let webgpuRegistered = false;

export class ComputeBackend {
  #report: BackendReport;
  #device: GPUDevice | null;
  #listeners: ((report: BackendReport) => void)[] = [];
  #lostResolve!: (message: string) => void;
  /** Settles with a message when the GPU device is lost (never, on WASM or CPU). */
  readonly lost: Promise<string>;
  #lostMessage: string | null = null;

  constructor(report: BackendReport, device: GPUDevice | null) {
    this.#report = report;
    this.#device = device;
    this.lost = new Promise<string>((resolve) => (this.#lostResolve = resolve));
    device?.lost.then((info) => {
      this.#lostMessage = `GPU device lost (${info.reason === 'destroyed' ? 'destroyed' : 'driver reset'}${info.message ? `: ${info.message}` : ''})`;
      this.#lostResolve(this.#lostMessage);
    });
  }

  get report(): BackendReport {
    return this.#report;
  }

  get name(): TfBackendName {
    return this.#report.backend;
  }

  get deviceLost(): string | null {
    return this.#lostMessage;
  }

  onChange(listener: (report: BackendReport) => void): void {
    this.#listeners.push(listener);
  }

  /** Leaves WebGPU for good (the device is gone): every later tensor op runs on WASM, or CPU. */
  async fallBackFromGpu(why: string): Promise<void> {
    if (this.#report.backend !== 'webgpu') return;
    const { backend, detail, failure } = await startWasmOrCpu(this.#report.wasmThreads ?? 1);
    this.#device = null;
    this.#report = {
      backend,
      reason: `${why}; switched to ${backend === 'wasm' ? 'WASM' : `CPU (${failure})`} and the run continues`,
      detail,
      changedAt: Date.now(),
      wasmThreads: this.#report.wasmThreads,
    };
    for (const listener of this.#listeners) listener(this.#report);
  }

  /** Runs `fn` with WASM as the active backend, then restores WebGPU (a per-trial retry). */
  async withWasm<T>(fn: () => Promise<T>): Promise<T> {
    const previous = tf.getBackend();
    await startWasmOrCpu(this.#report.wasmThreads ?? 1);
    try {
      return await fn();
    } finally {
      if (previous === 'webgpu' && !this.#lostMessage && this.#report.backend === 'webgpu') await tf.setBackend('webgpu');
    }
  }

  /** Test hook: destroys the GPU device, which fires `device.lost` exactly as a driver reset would. */
  loseDevice(): boolean {
    if (!this.#device) return false;
    this.#device.destroy();
    return true;
  }
}

/** Picks and starts this worker's backend; never throws (CPU is always there). */
export async function startBackend(prefs: BackendPreferences): Promise<ComputeBackend> {
  const threads = wasmThreadCount(prefs.workers);
  let gpuWhy = 'WebGPU not used for this worker';
  if (prefs.gpu) {
    const gpu = await tryWebGpu(prefs.allowSoftwareGpu);
    if (gpu.device) {
      return new ComputeBackend({ backend: 'webgpu', reason: gpu.why, detail: gpu.detail, wasmThreads: threads }, gpu.device);
    }
    gpuWhy = gpu.why;
  }
  const { backend, detail, failure } = await startWasmOrCpu(threads);
  const reason = backend === 'wasm' ? gpuWhy : `${gpuWhy}; WASM failed to start (${failure})`;
  return new ComputeBackend({ backend, reason, detail, wasmThreads: threads }, null);
}

/**
 * WASM threads per worker: the trial workers already run side by side, one per core (at most 4), so
 * threads only pay where cores outnumber workers; and they need crossOriginIsolated (SharedArrayBuffer).
 */
function wasmThreadCount(workers: number): number {
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  if (!globalThis.crossOriginIsolated) return 1;
  return Math.max(1, Math.floor(cores / Math.max(1, workers)));
}

interface GpuAttempt {
  device: GPUDevice | null;
  why: string;
  detail: string;
}

async function tryWebGpu(allowSoftware: boolean): Promise<GpuAttempt> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { device: null, why: 'WebGPU unavailable: this browser has no navigator.gpu', detail: '' };
  let adapter: GPUAdapter | null = null;
  try {
    // tfjs asks for the same adapter (high-performance) when it starts its backend.
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return { device: null, why: `WebGPU unavailable: requestAdapter failed (${errorMessage(err)})`, detail: '' };
  }
  if (!adapter) return { device: null, why: 'WebGPU unavailable: no adapter', detail: '' };
  const info = adapter.info;
  const name = adapterName(info);
  if (info?.isFallbackAdapter && !allowSoftware) {
    return {
      device: null,
      why: `WebGPU present but software-only (fallback adapter${name ? ` “${name}”` : ''}): WASM is much faster on this machine`,
      detail: '',
    };
  }
  try {
    if (!webgpuRegistered) {
      await import('@tensorflow/tfjs-backend-webgpu');
      webgpuRegistered = true;
    }
    if (!(await tf.setBackend('webgpu'))) return { device: null, why: 'WebGPU unavailable: tfjs could not start its WebGPU backend', detail: '' };
    await tf.ready();
    const error = await matMulSelfTest();
    if (!(error <= SELF_TEST_TOLERANCE)) {
      return { device: null, why: `WebGPU failed its self-test (matMul off by ${error.toExponential(1)})`, detail: '' };
    }
    const device = (tf.backend() as unknown as { device: GPUDevice }).device;
    const software = info?.isFallbackAdapter ? 'software adapter, allowed for testing; ' : '';
    return {
      device,
      why: `WebGPU on ${name || 'the GPU'} (${software}matMul self-test matched the CPU within ${error.toExponential(1)})`,
      detail: name,
    };
  } catch (err) {
    return { device: null, why: `WebGPU failed to start (${errorMessage(err)})`, detail: '' };
  }
}

/**
 * A 33×17 by 17×9 product on the active backend against float64 JS: catches drivers that return
 * wrong numbers (or zeros) without an error. Returns the largest relative deviation.
 */
async function matMulSelfTest(): Promise<number> {
  const [m, k, n] = [33, 17, 9];
  let seed = 12345;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  const a = Float32Array.from({ length: m * k }, next);
  const b = Float32Array.from({ length: k * n }, next);
  const product = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])));
  const got = await product.data();
  product.dispose();
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let want = 0;
      for (let t = 0; t < k; t++) want += a[i * k + t] * b[t * n + j];
      const error = Math.abs(got[i * n + j] - want) / (1 + Math.abs(want));
      if (!(error <= worst)) worst = error; // NaN propagates as a failure
    }
  }
  return worst;
}

/** A WASM start that hangs (a pthread worker that cannot load) must not hold the run forever. */
const WASM_START_TIMEOUT_MS = 20_000;

async function startWasmOrCpu(threads: number): Promise<{ backend: TfBackendName; detail: string; failure: string }> {
  try {
    prepareWasm(threads);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`it did not start within ${WASM_START_TIMEOUT_MS / 1000} s`)), WASM_START_TIMEOUT_MS);
    });
    const started = await Promise.race([tf.setBackend('wasm'), timeout]).finally(() => clearTimeout(timer));
    if (started) {
      await tf.ready();
      const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
      const actualThreads = safeThreads();
      const parts = [simd ? 'SIMD' : 'no SIMD', actualThreads > 1 ? `${actualThreads} threads` : 'single-threaded'];
      return { backend: 'wasm', detail: parts.join(', '), failure: '' };
    }
    return { ...(await startCpu()), failure: 'setBackend returned false' };
  } catch (err) {
    return { ...(await startCpu()), failure: errorMessage(err) };
  }
}

async function startCpu(): Promise<{ backend: TfBackendName; detail: string }> {
  await tf.setBackend('cpu');
  await tf.ready();
  return { backend: 'cpu', detail: 'plain JavaScript' };
}

function prepareWasm(threads: number): void {
  if (wasmPrepared) return;
  if (threads > 1) setThreadsCount(threads);
  // Without isolation (or with one core per worker) the threaded build would only add pthread workers.
  else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const base = self.location.href;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': new URL(wasmPlainUrl, base).href,
    'tfjs-backend-wasm-simd.wasm': new URL(wasmSimdUrl, base).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreadedUrl, base).href,
  });
  wasmPrepared = true;
}

function safeThreads(): number {
  try {
    return getThreadsCount();
  } catch {
    return 1;
  }
}

function adapterName(info: GPUAdapterInfo | undefined): string {
  if (!info) return '';
  return [info.vendor, info.architecture, info.description]
    .filter((s) => s && s.trim())
    .join(' ')
    .trim();
}
