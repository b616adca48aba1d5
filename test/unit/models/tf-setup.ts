/** Starts tfjs on the wasm backend for a test file (as the CLI does in Node). */
import { beforeAll } from 'vitest';
import { initTfNode } from '../../../src/node/tf-node.ts';

export function useWasmBackend(): void {
  beforeAll(async () => {
    const { backend } = await initTfNode('wasm');
    if (backend !== 'wasm') throw new Error(`expected the wasm backend in tests, got ${backend}`);
  });
}
