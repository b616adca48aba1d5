import { describe, expect, it } from 'vitest';
import { initTf, tf } from '../../../src/core/models/tf.ts';
import { initTfNode, wasmDistDir } from '../../../src/node/tf-node.ts';

describe('initTf', () => {
  it('skips WebGPU where there is no navigator.gpu and says why', async () => {
    const r = await initTfNode('webgpu');
    expect(r.backend).toBe('wasm');
    expect(r.reason).toMatch(/fallback from webgpu/);
    expect(r.reason).toMatch(/webgpu: navigator.gpu is not available/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('keeps an active backend and switches to cpu on request', async () => {
    expect((await initTfNode('wasm')).reason).toBe('wasm already active');
    const cpu = await initTf('cpu');
    expect(cpu).toEqual({ backend: 'cpu', reason: 'cpu as requested' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('finds the wasm binaries in node_modules', () => {
    expect(wasmDistDir()).toMatch(/@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]$/);
  });
});
