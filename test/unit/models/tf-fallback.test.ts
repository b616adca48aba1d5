/** A wasm backend that cannot load its binary falls back to cpu with the reason (own file: own process). */
import { expect, it } from 'vitest';
import { initTf } from '../../../src/core/models/tf.ts';

it('falls back to cpu when the wasm binaries cannot be loaded', async () => {
  const r = await initTf('wasm', { wasmPaths: '/nonexistent-sieve-dir/' });
  expect(r.backend).toBe('cpu');
  expect(r.reason).toMatch(/^cpu \(fallback from wasm\); skipped wasm: /);
});
