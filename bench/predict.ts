/**
 * `npx tsx bench/predict.ts [--budget 45] [--workers 2] [--reps 5]`: throughput of a bundle's
 * predict.mjs in Node (one thread: predict.mjs never starts workers), on the adult data set (48,842
 * rows, 14 input columns), for
 *   1. the winner of a short AutoML run (`runExperiment` with --budget seconds), and
 *   2. a 100-tree gradient-boosted model (early stopping off, so exactly 100 trees);
 * plus each bundle's size. predict.mjs is imported from the unzipped bundle, as a user would.
 *
 * Timed: model.predict(rows) over every row, rows given as objects keyed by column name (validation,
 * the pipeline, the trees and the labelled output included); the best and median of `reps` runs, by
 * the process's CPU time (what one core delivers, whatever else the machine runs) and by the clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { assess } from '../src/core/automl/assess.ts';
import { runExperiment } from '../src/core/automl/experiment.ts';
import { fitFinalModel } from '../src/core/automl/model.ts';
import { resolveProject } from '../src/core/automl/project.ts';
import { buildBundle } from '../src/core/export/bundle.ts';
import { bundleInputFromExperiment } from '../src/core/export/from-experiment.ts';
import { frameRows } from '../src/core/export/rows.ts';
import { sha256Hex } from '../src/core/export/sha256.ts';
import { appVersion } from '../src/node/bundle-io.ts';
import { predictRuntimeSource } from '../src/node/predict-runtime.ts';
import { readCsvFile } from '../src/node/read-csv.ts';
import { initTfNode } from '../src/node/tf-node.ts';
import { NodeWorkerPool } from '../src/node/worker-pool.ts';
import { datasetPath, manifest } from './peers.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const budget = Number(opt('budget', '45'));
const workers = Number(opt('workers', '2'));
const reps = Number(opt('reps', '5'));

interface PredictModule {
  loadModel(): Promise<{ predict(rows: unknown[]): unknown[]; inputColumns: string[] }>;
}

async function timeBundle(label: string, zip: Uint8Array, rows: (cols: string[]) => Record<string, unknown>[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-bench-'));
  try {
    for (const [name, bytes] of Object.entries(unzipSync(zip))) fs.writeFileSync(path.join(dir, name), bytes);
    const modelJsonBytes = fs.statSync(path.join(dir, 'model.json')).size;
    const mod = (await import(pathToFileURL(path.join(dir, 'predict.mjs')).href)) as PredictModule;
    const t0 = performance.now();
    const model = await mod.loadModel();
    const loadMs = performance.now() - t0;
    const data = rows(model.inputColumns);
    model.predict(data.slice(0, 2000)); // warm-up: let the JIT compile the hot loops
    const cpuRates: number[] = [];
    const wallRates: number[] = [];
    for (let r = 0; r < reps; r++) {
      const c0 = process.cpuUsage();
      const t = performance.now();
      const out = model.predict(data);
      const wall = (performance.now() - t) / 1000;
      const c = process.cpuUsage(c0);
      if (out.length !== data.length) throw new Error('predict returned the wrong number of rows');
      cpuRates.push(data.length / ((c.user + c.system) / 1e6));
      wallRates.push(data.length / wall);
    }
    const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
    const best = (a: number[]) => Math.max(...a);
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    console.log(
      `| ${label} | ${data.length} | ${fmt(best(cpuRates))} | ${fmt(median(cpuRates))} | ${fmt(best(wallRates))} | ` +
        `${(zip.length / 1024).toFixed(0)} KB | ${(modelJsonBytes / 1024).toFixed(0)} KB | ${loadMs.toFixed(0)} ms |`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await initTfNode('wasm');
  const file = datasetPath(manifest().find((e) => e.name === 'adult')!);
  const ingest = await readCsvFile(file);
  const { frame } = ingest;
  const bytes = new Uint8Array(fs.readFileSync(file));
  const dataset = { name: 'adult.csv', sha256: sha256Hex(bytes), bytes: bytes.length };
  const runtime = await predictRuntimeSource();
  const rows = (cols: string[]) => frameRows(frame, cols);
  const context = { frame, profile: ingest.profile, dataset, predictRuntime: runtime, appVersion: appVersion(), backend: `Node.js ${process.version}` };

  console.log(`predict.mjs throughput on adult (${frame.rows} rows), Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, one thread\n`);
  console.log('| model | rows | rows per CPU-second (best) | (median) | rows/s by the clock (best) | bundle .zip | model.json | load |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');

  // 1. A 100-tree GBDT refitted exactly as the engine would.
  const { project } = resolveProject(frame, { target: 'income', seed: 0 });
  const all = Int32Array.from({ length: frame.rows }, (_, i) => i);
  const gbdt = await fitFinalModel(frame, {
    target: 'income',
    task: project.task,
    classes: project.classes,
    trainRows: all,
    seed: 0,
    members: [{ family: 'gbdt', params: { max_iter: 100, early_stopping: false }, weight: 1, features: project.features }],
  });
  const trees = (gbdt.members[0].model.toJSON().estimator.state as { trees: unknown[] }).trees.length;
  const gbdtZip = await buildBundle({
    ...context,
    model: gbdt.toJSON(),
    project,
    winner: { name: 'gbdt, 100 trees', family: 'gbdt', params: { max_iter: 100 }, cvScore: NaN, cvStd: NaN },
    run: { trials: 1, elapsedSeconds: 0, folds: 0, searchRows: frame.rows, testRows: 0, cancelled: false },
    test: {},
  });
  await timeBundle(`gbdt, ${trees} trees (31 leaves max)`, gbdtZip, rows);

  // 2. The winner of a short AutoML run.
  const pool = new NodeWorkerPool(workers);
  let result;
  try {
    result = await runExperiment(frame, { target: 'income', budgetSeconds: budget, seed: 0 }, { runner: pool });
  } finally {
    await pool.close();
  }
  const assessment = await assess({
    frame,
    project: result.project,
    model: result.model,
    y: result.y,
    searchRows: result.searchRows,
    testRows: result.testRows,
    testPrediction: result.testPrediction,
  });
  const winnerZip = await buildBundle(bundleInputFromExperiment(result, assessment, context));
  const members = result.model.members.map((m) => `${m.model.family} ${m.weight.toFixed(2)}`).join(' + ');
  await timeBundle(`AutoML winner (${budget} s budget, ${result.trials} trials): ${members}`, winnerZip, rows);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
