/**
 * What src/core may use beyond ECMAScript 2022, for tsconfig.core.json (lib ES2022, no DOM, no Node
 * types): each exists, with these members, in browsers, web workers and Node 20+ alike, so the engine
 * runs in all three. Only the members core uses are declared; using anything else fails that check.
 * The other tsconfig (page, workers, Node) leaves this file out and uses the full DOM and Node types.
 */
/* eslint-disable no-var -- globals are declared with `var`, as TypeScript's own lib files do */

// Time: trial budgets, progress pacing, yielding to the event loop.
declare var performance: { now(): number };
type TimerHandle = ReturnType<typeof setTimeout>;
declare function setTimeout(handler: (...args: never[]) => void, ms?: number): { unref?(): void } | number;
declare function clearTimeout(handle: TimerHandle | undefined): void;
declare function setInterval(handler: (...args: never[]) => void, ms?: number): { unref?(): void } | number;
declare function clearInterval(handle: ReturnType<typeof setInterval> | undefined): void;

// Cancellation of a run (AbortController/AbortSignal).
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}
declare var AbortSignal: { prototype: AbortSignal };
interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
declare var AbortController: { prototype: AbortController; new (): AbortController };

// Text: CSV decoding, bundle and ONNX encoding.
interface TextDecoder {
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare var TextDecoder: { new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder };
interface TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare var TextEncoder: { new (): TextEncoder };

// Deep copies of model state.
declare function structuredClone<T>(value: T): T;

// Files and addresses: a dataset's hash (sha256OfBlob) and the prediction runtime's loader
// (export/runtime/load.ts), which reads model.json from a URL or path.
interface Blob {
  readonly size: number;
  slice(start?: number, end?: number): Blob;
  arrayBuffer(): Promise<ArrayBuffer>;
}
interface URL {
  readonly href: string;
  readonly protocol: string;
  toString(): string;
}
declare var URL: { prototype: URL; new (url: string | URL, base?: string | URL): URL };
interface ImportMeta {
  readonly url: string;
}
declare function fetch(input: string | URL): Promise<{ readonly ok: boolean; readonly status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

// Reading a file piece by piece as it arrives (util/stream-chunks.ts, e.g. Blob.stream()): only
// the reader; a ReadableStream is never constructed in core, so no value is declared.
interface ReadableStream<R = unknown> {
  getReader(): ReadableStreamDefaultReader<R>;
}
interface ReadableStreamDefaultReader<R = unknown> {
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: R }>;
  cancel(reason?: unknown): Promise<void>;
  releaseLock(): void;
}

// Not an API to use: export/runtime/load.ts's check whether it runs in Node (then it reads a file
// path with node:fs), written so that it is false in a browser.
declare var process: { versions?: { node?: string } } | undefined;
