/**
 * Vite plugin: `import predictMjs from 'virtual:predict-runtime'` gives the page the text of a
 * bundle's predict.mjs, built by esbuild from src/core/export/runtime/ (predict-runtime.ts) during
 * `vite build` and `vite dev` (rebuilt when a runtime source file changes).
 */
import type { Plugin } from 'vite';
import { buildPredictRuntime } from './predict-runtime.ts';

const ID = 'virtual:predict-runtime';
const RESOLVED = `\0${ID}`;

export function predictRuntimePlugin(): Plugin {
  return {
    name: 'sieve-predict-runtime',
    resolveId(source) {
      return source === ID ? RESOLVED : null;
    },
    async load(id) {
      if (id !== RESOLVED) return null;
      const { code, inputs } = await buildPredictRuntime();
      for (const file of inputs) this.addWatchFile(file);
      return `export default ${JSON.stringify(code)};`;
    },
  };
}
