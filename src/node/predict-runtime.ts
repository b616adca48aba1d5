/**
 * Builds predict.mjs, the bundle's dependency-free prediction module, from Sieve's own runtime
 * source (src/core/export/runtime/index.ts) with esbuild: one ES module, no imports left but a guarded
 * dynamic `node:fs/promises` for reading model.json in Node. The CLI calls it at run time (built once
 * per process); the page gets the same text through the `virtual:predict-runtime` Vite module
 * (vite-predict-runtime.ts).
 */
import { build, type Plugin } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PREDICT_RUNTIME_ENTRY = path.join(repoRoot, 'src/core/export/runtime/index.ts');

export interface PredictRuntimeBuild {
  /** predict.mjs's text. */
  code: string;
  /** Absolute paths of every source file bundled (for watch mode). */
  inputs: string[];
}

const BANNER = `// predict.mjs: the prediction API of a model exported by Sieve (an AutoML lab that runs in the browser).
// A dependency-free ES module for browsers and Node >= 18, no build step. Built from Sieve's own
// prediction code, so it predicts exactly what Sieve predicted. Types: predict.d.ts; docs: README.md.
//
//   import { loadModel } from './predict.mjs';
//   const model = await loadModel();             // ./model.json beside this file (or a path / URL / object)
//   const out = model.predict([{ column: value }]); // [{ label, probabilities, set }] or [{ value, interval }]
//   model.predict(rows, { coverage: 0.8 });      // intervals / sets at another coverage
//   const drift = model.driftMonitor(); drift.add(rows, out); drift.report();  // the drift check
//   model.validate(rows);                        // [{ row, column, message }] for rows that cannot be scored`;

/** Refuses any package import: the runtime must stay dependency-free (no tfjs sneaking in). */
const noPackages: Plugin = {
  name: 'sieve-no-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      return { errors: [{ text: `the prediction runtime may not import the package "${args.path}" (from ${args.importer})` }] };
    });
  },
};

export async function buildPredictRuntime(): Promise<PredictRuntimeBuild> {
  const result = await build({
    entryPoints: [PREDICT_RUNTIME_ENTRY],
    absWorkingDir: repoRoot,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    metafile: true,
    charset: 'utf8',
    legalComments: 'none',
    banner: { js: BANNER },
    logLevel: 'silent',
    plugins: [noPackages],
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.resolve(repoRoot, p));
  const bad = inputs.filter((p) => p.includes(`${path.sep}node_modules${path.sep}`));
  if (bad.length) throw new Error(`the prediction runtime bundled package code: ${bad.join(', ')}`);
  return { code: result.outputFiles[0].text, inputs };
}

let cached: Promise<string> | null = null;

/** predict.mjs's text, built on first use and kept for the life of the process. */
export function predictRuntimeSource(): Promise<string> {
  cached ??= buildPredictRuntime().then((b) => b.code);
  return cached;
}
