/**
 * `npm run bench:conformal [-- --max-trials 4] [--families gbdt,linear] [--coverage 0.9] [--seeds 100]
 *  [--datasets a,b] [--workers 1] [--splits 10] [--skip-drift] [--skip-speed]`: the figures of issue #15 on the shared datasets.
 *
 *   1. Conformal coverage: a short AutoML run per dataset (--max-trials trials of --families, seed 0);
 *      intervals or sets calibrated on the winner's out-of-fold predictions, measured on the test
 *      split: achieved coverage, mean width beside non-adaptive split conformal (regression), mean set
 *      size (classification). A test split under 1,000 rows measures coverage only to about ±0.02–0.06
 *      (iris: 30 rows, so 0.867, 0.900 or 0.933), so there the run is repeated on other seeds (other
 *      splits and searches) until the test splits hold 2,000 rows in all, at least --splits runs
 *      (default 10; iris 67, penguins 29), and the mean over them is reported beside seed 0's: one
 *      standard error is then about 0.007 at 90 %, the calibration rows' own chance included.
 *   2. Drift: per dataset, a generated shift (a mean shift of 1 SD in the 2 numeric columns with the
 *      most distinct values, a new category in 20 % of rows of 1 categorical column, 30 % of a third
 *      numeric column emptied) on a random 20 % batch — are exactly those columns flagged? — and plain
 *      random 80/20 splits over --seeds seeds: in how many is nothing flagged?
 *   3. Speed: predict.mjs rows/s on adult for a 100-tree GBDT, with and without the conformal sets
 *      (calibrated on a 20 % holdout), one thread, best of 5 by CPU time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { runExperiment } from '../src/core/automl/experiment.ts';
import { fitFinalModel } from '../src/core/automl/model.ts';
import { resolveProject } from '../src/core/automl/project.ts';
import type { Frame } from '../src/core/data/frame.ts';
import { flaggedOnSplit } from '../src/core/drift/shifts.ts';
import { buildDriftProfile } from '../src/core/drift/profile.ts';
import { calibrateSets } from '../src/core/eval/conformal.ts';
import { trainTestSplit } from '../src/core/eval/split.ts';
import { buildBundle } from '../src/core/export/bundle.ts';
import { frameRows } from '../src/core/export/rows.ts';
import { sha256Hex } from '../src/core/export/sha256.ts';
import type { FamilyName } from '../src/core/models/types.ts';
import { rowsWithTarget } from '../src/core/prep/target.ts';
import { appVersion } from '../src/node/bundle-io.ts';
import { predictRuntimeSource } from '../src/node/predict-runtime.ts';
import { readCsvFile } from '../src/node/read-csv.ts';
import { initTfNode } from '../src/node/tf-node.ts';
import { NodeWorkerPool } from '../src/node/worker-pool.ts';
import { datasetPath, manifest, type ManifestEntry } from './peers.ts';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const maxTrials = Number(opt('max-trials', '4'));
const families = opt('families', 'gbdt,linear').split(',') as FamilyName[];
const coverage = Number(opt('coverage', '0.9'));
const seeds = Number(opt('seeds', '100'));
const workers = Number(opt('workers', '1'));
/** Seeded splits averaged where one test split is too small to measure coverage to ±0.03 (under SMALL_TEST rows): at least this many, */
const splits = Number(opt('splits', '10'));
const SMALL_TEST = 1000;
/** and enough for this many test rows in all. */
const POOLED_TEST_ROWS = 2000;
const only = opt('datasets', '');
const datasets = manifest().filter((d) => !only || only.split(',').includes(d.name));
const f3 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4));

async function coverageTable(frames: Map<string, Frame>): Promise<void> {
  console.log(
    `\n## 1. Conformal coverage at ${coverage} (max ${maxTrials} trials of ${families.join(', ')}, seed 0; calibrated out of fold, measured on the test split)\n`,
  );
  console.log(
    `| dataset | task | test rows | winner | method | achieved | mean over splits (min–max), small test splits | mean width (adaptive) | mean width (split baseline) | mean set size | seconds |`,
  );
  console.log('|---|---|---:|---|---|---:|---|---:|---:|---:|---:|');
  const regressionMean: number[] = [];
  const classificationMean: number[] = [];
  const regression: number[] = [];
  const classification: number[] = [];
  for (const d of datasets) {
    const frame = frames.get(d.name)!;
    const t0 = performance.now();
    const pool = new NodeWorkerPool(workers);
    try {
      const r = await runExperiment(frame, { target: d.target, exclude: d.id_columns, maxTrials, families, seed: 0, coverage }, { runner: pool });
      const c = r.conformal;
      if (!c) {
        console.log(`| ${d.name} | ${d.task} | ${r.testRows.length} | ${r.winner.name} | — (${r.conformalNote}) | | | | | |`);
        continue;
      }
      (d.task === 'regression' ? regression : classification).push(c.achieved);
      const achieved = [c.achieved];
      if (c.testRows < SMALL_TEST) {
        const runs = Math.max(splits, Math.ceil(POOLED_TEST_ROWS / c.testRows));
        for (let seed = 1; seed < runs; seed++) {
          const again = await runExperiment(frame, { target: d.target, exclude: d.id_columns, maxTrials, families, seed, coverage }, { runner: pool });
          if (again.conformal) achieved.push(again.conformal.achieved);
        }
      }
      const meanAchieved = achieved.reduce((x, y) => x + y, 0) / achieved.length;
      (d.task === 'regression' ? regressionMean : classificationMean).push(meanAchieved);
      const over =
        achieved.length > 1
          ? `${meanAchieved.toFixed(3)} over ${achieved.length} (${Math.min(...achieved).toFixed(3)}–${Math.max(...achieved).toFixed(3)})`
          : '—';
      console.log(
        `| ${d.name} | ${d.task} | ${c.testRows} | ${r.winner.name} | ${c.method} | ${c.achieved.toFixed(3)} | ${over} | ${f3(c.meanWidth)} | ${f3(c.baselineMeanWidth)} | ${f3(c.meanSetSize)} | ${((performance.now() - t0) / 1000).toFixed(1)} |`,
      );
    } finally {
      await pool.close();
    }
  }
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
  const inBand = (a: number[]) => a.filter((v) => v >= 0.87 && v <= 0.93).length;
  console.log(
    `\nRegression: mean coverage ${mean(regression).toFixed(4)} over ${regression.length} datasets (goal: within 0.015 of 0.90); ${inBand(regression)} of ${regression.length} in [0.87, 0.93] on seed 0's split, ${inBand(regressionMean)} of ${regressionMean.length} with small test splits averaged over seeds (≥ ${splits}, ≥ ${POOLED_TEST_ROWS} test rows).`,
  );
  console.log(
    `Classification: mean coverage ${mean(classification).toFixed(4)}; ${inBand(classification)} of ${classification.length} in [0.87, 0.93] on seed 0's split, ${inBand(classificationMean)} of ${classificationMean.length} with small test splits averaged over seeds (≥ ${splits}, ≥ ${POOLED_TEST_ROWS} test rows).`,
  );
}

/** Shift columns: the 2 numeric inputs with the most distinct values, a categorical one, a third numeric one. */
function shiftColumns(frame: Frame, inputs: string[]): { meanShift: string[]; newCategory: string[]; missingJump: string[] } {
  const distinct = (name: string) => {
    const c = frame.columns.find((col) => col.name === name)!;
    return c.storage === 'numeric' ? new Set(c.values).size : 0;
  };
  const numeric = inputs.filter((n) => frame.columns.find((c) => c.name === n)!.type === 'numeric').sort((a, b) => distinct(b) - distinct(a));
  const categorical = inputs.filter((n) => frame.columns.find((c) => c.name === n)!.type === 'categorical');
  return { meanShift: numeric.slice(0, 2), newCategory: categorical.slice(0, 1), missingJump: numeric.slice(2, 3) };
}

function driftTable(frames: Map<string, Frame>): void {
  console.log(`\n## 2. Drift check (batch: a random 20 % of the rows; profile: the other 80 %)\n`);
  console.log(
    '| dataset | rows | inputs | shifted columns | flagged on the generated shift | exact | random splits with nothing flagged | false flags (column: seeds) |',
  );
  console.log('|---|---:|---:|---|---|---|---:|---|');
  let exact = 0;
  let cleanAll = 0;
  for (const d of datasets) {
    const frame = frames.get(d.name)!;
    const inputs = frame.columns.map((c) => c.name).filter((n) => n !== d.target && !(d.id_columns ?? []).includes(n));
    const spec = shiftColumns(frame, inputs);
    const shifted = [...spec.meanShift, ...spec.newCategory, ...spec.missingJump];
    const flagged = flaggedOnSplit(frame, inputs, 1, 0.2, spec);
    const ok = [...flagged].sort().join() === [...shifted].sort().join();
    if (ok) exact++;
    let clean = 0;
    const falseFlags = new Map<string, number>();
    for (let s = 1; s <= seeds; s++) {
      const f = flaggedOnSplit(frame, inputs, 1000 + s, 0.2);
      if (f.length === 0) clean++;
      for (const n of f) falseFlags.set(n, (falseFlags.get(n) ?? 0) + 1);
    }
    if (clean >= 0.95 * seeds) cleanAll++;
    const ff = [...falseFlags].map(([n, k]) => `${n}: ${k}`).join(', ') || '—';
    console.log(
      `| ${d.name} | ${frame.rows} | ${inputs.length} | ${shifted.join(', ')} | ${flagged.join(', ')} | ${ok ? 'yes' : 'NO'} | ${clean} / ${seeds} | ${ff} |`,
    );
  }
  console.log(
    `\nExactly the shifted columns flagged on ${exact} of ${datasets.length} datasets; nothing flagged in ≥ 95 % of random splits on ${cleanAll} of ${datasets.length}.`,
  );
}

async function speed(frames: Map<string, Frame>): Promise<void> {
  const entry = manifest().find((e) => e.name === 'adult')!;
  const frame = frames.get('adult') ?? (await readCsvFile(datasetPath(entry))).frame;
  const { project } = resolveProject(frame, { target: entry.target, seed: 0 });
  const rows = rowsWithTarget(frame, entry.target);
  const split = trainTestSplit(new Float64Array(rows.length), { testSize: 0.2, seed: 0, stratify: false });
  const train = Int32Array.from(split.train, (i) => rows[i]);
  const calib = Int32Array.from(split.test, (i) => rows[i]);
  const model = await fitFinalModel(frame, {
    target: entry.target,
    task: project.task,
    classes: project.classes,
    trainRows: train,
    seed: 0,
    members: [{ family: 'gbdt', params: { max_iter: 100, early_stopping: false }, weight: 1, features: project.features }],
  });
  const calibPred = await model.predictRows(frame, calib);
  const y = frame.columns.find((c) => c.name === entry.target)!;
  const yCal = Float64Array.from(calib, (r) => (y.storage === 'categorical' ? project.classes.indexOf(y.levels[y.codes[r]]) : NaN));
  const bytes = new Uint8Array(fs.readFileSync(datasetPath(entry)));
  const base = {
    project,
    winner: { name: 'gbdt, 100 trees', family: 'gbdt', params: { max_iter: 100 }, cvScore: NaN, cvStd: NaN },
    run: { trials: 1, elapsedSeconds: 0, folds: 0, searchRows: train.length, testRows: calib.length, cancelled: false },
    test: {},
    frame,
    dataset: { name: 'adult.csv', sha256: sha256Hex(bytes), bytes: bytes.length },
    predictRuntime: await predictRuntimeSource(),
    appVersion: appVersion(),
  };
  const plain = model.toJSON();
  model.trust = {
    conformal: calibrateSets(calibPred.proba!, yCal, project.nClasses, coverage),
    drift: buildDriftProfile(frame, model.inputColumns, train, calibPred),
  };
  const calibrated = model.toJSON();
  const data = frameRows(frame, model.inputColumns);
  console.log(`\n## 3. predict.mjs throughput on adult (${data.length} rows), 100-tree GBDT, one thread, ${os.cpus()[0]?.model ?? 'unknown CPU'}\n`);
  console.log('| bundle | rows per CPU-second (best of 5) | median |');
  console.log('|---|---:|---:|');
  for (const [label, json] of [
    ['without intervals or sets', plain],
    [`with conformal sets (${coverage})`, calibrated],
  ] as const) {
    const zip = await buildBundle({ ...base, model: json });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-bench-conformal-'));
    try {
      for (const [name, b] of Object.entries(unzipSync(zip))) fs.writeFileSync(path.join(dir, name), b);
      const mod = (await import(pathToFileURL(path.join(dir, 'predict.mjs')).href)) as {
        loadModel(): Promise<{ predict(rows: unknown[]): { set?: string[] }[] }>;
      };
      const m = await mod.loadModel();
      m.predict(data.slice(0, 2000));
      const rates: number[] = [];
      for (let rep = 0; rep < 5; rep++) {
        const c0 = process.cpuUsage();
        const out = m.predict(data);
        const c = process.cpuUsage(c0);
        if (out.length !== data.length || (json === calibrated && !out[0].set)) throw new Error('unexpected predictions');
        rates.push(data.length / ((c.user + c.system) / 1e6));
      }
      rates.sort((a, b) => a - b);
      console.log(`| ${label} | ${Math.round(rates[4]).toLocaleString('en-US')} | ${Math.round(rates[2]).toLocaleString('en-US')} |`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function main(): Promise<void> {
  await initTfNode('wasm');
  const frames = new Map<string, Frame>();
  for (const d of datasets) frames.set(d.name, (await readCsvFile(datasetPath(d as ManifestEntry))).frame);
  console.log(`# bench:conformal — Node ${process.version}, ${new Date().toISOString()}`);
  await coverageTable(frames);
  if (!args.includes('--skip-drift')) driftTable(frames);
  if (!args.includes('--skip-speed')) await speed(frames);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
