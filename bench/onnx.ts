/**
 * `npm run bench:onnx`: model.onnx next to predict.mjs on the adult GBDT of 100 trees (fitted on the
 * seeded 80 % split, early stopping off so it has exactly 100 trees):
 *
 * - throughput on the 20 % test rows: predict.mjs (imported from the unzipped bundle, rows as
 *   objects) and ONNX Runtime for Node on one thread (intra- and inter-op), run only and with the
 *   tensors built from the same row objects; the median of 5 timed runs after a warm-up;
 * - sizes: model.onnx vs model.json, and the zipped bundle with and without model.onnx.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { zipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { fitFinalModel } from '../src/core/automl/model.ts';
import { resolveProject } from '../src/core/automl/project.ts';
import { trainTestSplit } from '../src/core/eval/split.ts';
import { BUNDLE_FILES, bundleFiles, zipBundle } from '../src/core/export/bundle.ts';
import { frameRows } from '../src/core/export/rows.ts';
import { sha256Hex } from '../src/core/export/sha256.ts';
import { rowsWithTarget } from '../src/core/prep/target.ts';
import { predictRuntimeSource } from '../src/node/predict-runtime.ts';
import { readCsvFile } from '../src/node/read-csv.ts';
import { datasetPath, manifest } from './peers.ts';

const entry = manifest().find((e) => e.name === 'adult')!;
const file = datasetPath(entry);
const { frame, profile } = await readCsvFile(file);
const { project } = resolveProject(frame, { target: entry.target, exclude: entry.id_columns ?? [], seed: 0 });
const rows = rowsWithTarget(frame, entry.target);
const split = trainTestSplit(new Float64Array(rows.length), { testSize: 0.2, seed: 0, stratify: false });
const trainRows = Int32Array.from(split.train, (i) => rows[i]);
const testRows = Int32Array.from(split.test, (i) => rows[i]);
const t0 = performance.now();
const model = await fitFinalModel(frame, {
  target: project.target,
  task: project.task,
  classes: project.classes,
  trainRows,
  seed: 0,
  members: [{ family: 'gbdt', params: { max_iter: 100, early_stopping: false }, weight: 1, features: project.features }],
});
const fitSeconds = (performance.now() - t0) / 1000;
const bytes = fs.readFileSync(file);
const built = bundleFiles({
  model: model.toJSON(),
  project,
  winner: { name: 'gbdt', family: 'gbdt', params: { max_iter: 100 }, cvScore: 0, cvStd: 0 },
  run: { trials: 1, elapsedSeconds: fitSeconds, folds: 1, searchRows: trainRows.length, testRows: testRows.length, cancelled: false },
  test: {},
  frame,
  profile,
  dataset: { name: 'adult.csv', sha256: sha256Hex(bytes), bytes: bytes.length },
  predictRuntime: await predictRuntimeSource(),
  appVersion: '0.1.0',
});
const onnxBytes = built.files['model.onnx'];
if (!onnxBytes) throw new Error(`no model.onnx: ${built.onnxSkipped}`);
const trees = (built.modelFile.model.members[0].model.estimator.state as { trees: unknown[] }).trees.length;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-bench-onnx-'));
for (const name of BUNDLE_FILES) fs.writeFileSync(path.join(dir, name), built.files[name]);
const mod = (await import(pathToFileURL(path.join(dir, 'predict.mjs')).href)) as {
  loadModel(): Promise<{ predict(rows: unknown[]): unknown[]; inputColumns: string[] }>;
};
const runtime = await mod.loadModel();
const input = frameRows(frame, runtime.inputColumns, testRows);
const n = input.length;

const schema = built.modelFile.input.columns;
function feeds(): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const c of schema) {
    if (c.type === 'numeric')
      out[c.name] = new ort.Tensor(
        'float32',
        Float32Array.from(input, (r) => (r[c.name] === null ? NaN : (r[c.name] as number))),
        [n, 1],
      );
    else if (c.type === 'datetime')
      out[c.name] = new ort.Tensor(
        'float64',
        Float64Array.from(input, (r) => (r[c.name] === null ? NaN : Date.parse(String(r[c.name])))),
        [n, 1],
      );
    else
      out[c.name] = new ort.Tensor(
        'string',
        input.map((r) => (r[c.name] === null ? '' : String(r[c.name]))),
        [n, 1],
      );
  }
  return out;
}
const session = await ort.InferenceSession.create(onnxBytes, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });

async function median(fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return times[2] / 1000;
}
const tPredict = await median(() => runtime.predict(input));
const ready = feeds();
const tOrt = await median(() => session.run(ready));
const tOrtFeeds = await median(() => session.run(feeds()));
await session.release();

const zipWith = await zipBundle(built);
const { ['model.onnx']: _onnx, ...withoutOnnx } = built.files;
const zipWithout = await zipBundle({ ...built, files: withoutOnnx });
const zipOnnxOnly = zipSync({ 'model.onnx': onnxBytes }, { level: 6 });
fs.rmSync(dir, { recursive: true, force: true });

const kb = (b: number): string => `${(b / 1024).toFixed(0)} KB`;
const rate = (s: number): string => `${Math.round(n / s).toLocaleString('en-US')} rows/s (${(s * 1000).toFixed(0)} ms)`;
console.log(
  `## model.onnx vs predict.mjs: adult, GBDT ${trees} trees (fit ${fitSeconds.toFixed(1)} s on ${trainRows.length} rows), ${n} test rows, Node ${process.version}, ONNX Runtime ${ort.env.versions.common}\n`,
);
console.log('| | figure |');
console.log('|---|---|');
console.log(`| predict.mjs, predict(rows) | ${rate(tPredict)} |`);
console.log(`| ONNX Runtime (Node, 1 thread), session.run | ${rate(tOrt)} |`);
console.log(`| ONNX Runtime, tensors built from the rows + session.run | ${rate(tOrtFeeds)} |`);
console.log(`| model.json | ${kb(built.files['model.json'].length)} |`);
console.log(
  `| model.onnx | ${kb(onnxBytes.length)} (${(onnxBytes.length / built.files['model.json'].length).toFixed(2)}x model.json; zipped ${kb(zipOnnxOnly.length)}) |`,
);
console.log(`| bundle .zip without model.onnx | ${kb(zipWithout.length)} |`);
console.log(`| bundle .zip with model.onnx | ${kb(zipWith.length)} (${(zipWith.length / zipWithout.length).toFixed(2)}x) |`);
