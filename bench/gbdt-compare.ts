/**
 * Shared by bench/gbdt-synthetic.ts and bench/gbdt-real.ts: fit Sieve's GBDT (or random forest) and
 * scikit-learn's on the same CSV, single-threaded, and print both fit times and their ratio.
 *
 * scikit-learn runs through ../shared/peers/gbdt_speed.py (HistGradientBoosting, fixed settings,
 * 80/20 split with random_state=0, median of `repeat` fits) or, for forests, an inline snippet
 * (RandomForest, n_jobs=1, median imputation and ordinal codes as in the peer bench). Sieve fits an
 * 80/20 split of the same rows (same sizes; the exact rows differ) and its time covers binning
 * and training, as scikit-learn's fit covers its own binning.
 *
 * Timings on a shared machine drift with the load, so Sieve and scikit-learn run in alternating
 * rounds and each round reports its own ratio; the summary is the median over rounds.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { accuracy, r2, rocAuc } from '../src/core/eval/metrics.ts';
import { GbdtEstimator } from '../src/core/models/gbdt/index.ts';
import { ForestEstimator } from '../src/core/models/forest/index.ts';
import { takeMatrixRows, type FeatureMatrix } from '../src/core/prep/matrix.ts';
import type { Task } from '../src/core/models/types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sharedDir = path.resolve(here, '../../shared');
const PYTHON = '/usr/bin/python3';

export const GBDT_BENCH_PARAMS = {
  max_iter: 100,
  learning_rate: 0.1,
  max_leaf_nodes: 31,
  min_samples_leaf: 20,
  max_bins: 255,
  early_stopping: false,
  l2_regularization: 0,
};

export interface PreparedData {
  name: string;
  task: Task;
  nClasses: number;
  Xtr: FeatureMatrix;
  ytr: Float64Array;
  Xte: FeatureMatrix;
  yte: Float64Array;
  /** The same table as a CSV for scikit-learn, and its target column. */
  csv: string;
  target: string;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function python(args: string[]): string {
  return execFileSync(PYTHON, args, {
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
}

const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(3)).join(', ');

function metricOf(d: PreparedData, pred: Float64Array, proba: Float64Array | null): { name: string; value: number } {
  if (d.task === 'regression') return { name: 'r2', value: r2(d.yte, pred) };
  if (d.task === 'binary' && proba) return { name: 'roc_auc', value: rocAuc(d.yte, proba, 2) };
  return { name: 'accuracy', value: accuracy(d.yte, pred) };
}

export async function benchGbdt(d: PreparedData, repeat: number, rounds: number): Promise<number> {
  console.log(`\n[gbdt] ${d.name}: ${d.Xtr.rows} train rows x ${d.Xtr.columns.length} features`);
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const times: number[] = [];
    let est: GbdtEstimator | null = null;
    for (let r = 0; r < repeat; r++) {
      est = new GbdtEstimator(d.task, GBDT_BENCH_PARAMS);
      const t0 = performance.now();
      await est.fit(d.Xtr, d.ytr, d.nClasses, { seed: 0 });
      times.push((performance.now() - t0) / 1000);
    }
    const ref = JSON.parse(
      python([path.join(sharedDir, 'peers', 'gbdt_speed.py'), d.csv, d.target, '--repeat', String(repeat)])
        .trim()
        .split('\n')
        .pop()!,
    );
    const sieve = median(times);
    const ratio = sieve / ref.fit_seconds_median;
    ratios.push(ratio);
    if (round === 0) {
      const tm = est!.fitInfo!.timings;
      const proba = d.task === 'regression' ? null : await est!.predictProba(d.Xte);
      const m = metricOf(d, await est!.predict(d.Xte), proba);
      console.log(`  sieve   ${m.name} ${m.value.toFixed(4)}; sklearn ${ref.metric} ${ref.test_metric.toFixed(4)} (different 20% test rows)`);
      console.log(
        `  sieve last fit: binning ${tm.binning.toFixed(0)} ms, histograms ${tm.histogram.toFixed(0)} ms, ` +
          `splits ${tm.split.toFixed(0)} ms, partition ${tm.partition.toFixed(0)} ms, total ${tm.total.toFixed(0)} ms`,
      );
      console.log(`  sieve predict (${est!.nIter} iterations): ${await predictThroughput(est!, d.Xte)}`);
    }
    console.log(
      `  round ${round + 1}: sieve ${sieve.toFixed(3)} s (${fmt(times)}), sklearn ${ref.fit_seconds_median.toFixed(3)} s ` +
        `(${fmt(ref.fit_seconds_all)}), ratio ${ratio.toFixed(2)}`,
    );
  }
  const r = median(ratios);
  console.log(`  ratio sieve/sklearn (median over rounds) = ${r.toFixed(2)}`);
  return r;
}

/** Rows per second of predictProba / predict on >= 200,000 rows (the test rows repeated), best of 3. */
async function predictThroughput(est: GbdtEstimator, X: FeatureMatrix): Promise<string> {
  const n = Math.max(200_000, X.rows);
  const big = takeMatrixRows(
    X,
    Int32Array.from({ length: n }, (_, i) => i % X.rows),
  );
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    if (est.task === 'regression') await est.predict(big);
    else await est.predictProba(big);
    best = Math.min(best, performance.now() - t0);
  }
  return `${n} rows in ${best.toFixed(0)} ms = ${Math.round((n / best) * 1000).toLocaleString('en-US')} rows/s`;
}

const RF_SNIPPET = `
import json, sys, time, numpy as np, pandas as pd
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.model_selection import train_test_split
path, target, task, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
df = pd.read_csv(path)
y = df.pop(target)
for c in df.columns:
    if df[c].dtype == object:
        df[c] = df[c].astype('category').cat.codes.astype(float)  # missing -> -1
    else:
        df[c] = df[c].fillna(df[c].median())
clf = task != 'regression'
if clf: y = y.astype('category').cat.codes
Xtr, Xte, ytr, yte = train_test_split(df, y, test_size=0.2, random_state=0, stratify=y if clf else None)
M = RandomForestClassifier if clf else RandomForestRegressor
times = []
for _ in range(repeat):
    m = M(n_estimators=100, n_jobs=1, random_state=0, oob_score=True)
    t = time.perf_counter(); m.fit(Xtr, ytr); times.append(time.perf_counter() - t)
print(json.dumps({"fit_seconds_median": float(np.median(times)), "fit_seconds_all": times,
                  "oob": float(m.oob_score_), "test": float(m.score(Xte, yte))}))
`;

export async function benchForest(d: PreparedData, repeat: number): Promise<number> {
  console.log(`\n[random forest] ${d.name}: ${d.Xtr.rows} train rows, 100 trees, defaults`);
  const times: number[] = [];
  let est: ForestEstimator | null = null;
  for (let r = 0; r < repeat; r++) {
    est = new ForestEstimator('random_forest', d.task, { n_estimators: 100 });
    const t0 = performance.now();
    await est.fit(d.Xtr, d.ytr, d.nClasses, { seed: 0 });
    times.push((performance.now() - t0) / 1000);
  }
  const pred = await est!.predict(d.Xte);
  const test = d.task === 'regression' ? r2(d.yte, pred) : accuracy(d.yte, pred);
  const sieve = median(times);
  console.log(`  sieve   fit ${sieve.toFixed(3)} s (${fmt(times)}), oob ${est!.oobScore().toFixed(4)}, test ${test.toFixed(4)}`);
  const ref = JSON.parse(
    python(['-c', RF_SNIPPET, d.csv, d.target, d.task, String(repeat)])
      .trim()
      .split('\n')
      .pop()!,
  );
  console.log(
    `  sklearn fit ${ref.fit_seconds_median.toFixed(3)} s (${fmt(ref.fit_seconds_all)}), oob ${ref.oob.toFixed(4)}, ` +
      `test ${ref.test.toFixed(4)}  (n_jobs=1, median-imputed, ordinal codes)`,
  );
  const ratio = sieve / ref.fit_seconds_median;
  console.log(`  ratio sieve/sklearn = ${ratio.toFixed(2)}`);
  return ratio;
}

export function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
