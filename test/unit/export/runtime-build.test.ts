/**
 * predict.mjs is one dependency-free module: esbuild bundles only Sieve's own plain-TypeScript files
 * (no tfjs, no package), the only import left is the guarded node:fs read, and the page's Vite
 * plugin serves exactly the same text.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPredictRuntime, predictRuntimeSource } from '../../../src/node/predict-runtime.ts';
import { predictRuntimePlugin } from '../../../src/node/vite-predict-runtime.ts';

describe('the prediction runtime build', () => {
  it('bundles only src/ files and leaves no import but node:fs in Node', async () => {
    const { code, inputs } = await buildPredictRuntime();
    const repo = path.resolve(__dirname, '../../..');
    for (const file of inputs) expect(path.relative(repo, file)).toMatch(/^src\/core\//);
    expect(inputs.some((f) => f.endsWith('models/tf.ts'))).toBe(false);
    expect(code).not.toMatch(/tensorflow/i);
    expect(code.match(/^\s*import\s/gm)).toBeNull();
    expect(code.match(/\bimport\s*\(/g)).toHaveLength(1);
    expect(code).toMatch(/export \{[^}]*\bloadModel\b/);
    expect(code.length).toBeLessThan(200_000);
  });

  it('is what the Vite plugin gives the page', async () => {
    const plugin = predictRuntimePlugin();
    const resolved = (plugin.resolveId as (s: string) => string | null)('virtual:predict-runtime');
    expect(resolved).toBe('\0virtual:predict-runtime');
    const watched: string[] = [];
    const module = await (plugin.load as (this: unknown, id: string) => Promise<string>).call({ addWatchFile: (f: string) => watched.push(f) }, resolved!);
    expect(module).toBe(`export default ${JSON.stringify(await predictRuntimeSource())};`);
    expect(watched.some((f) => f.endsWith('runtime/index.ts'))).toBe(true);
  });
});
