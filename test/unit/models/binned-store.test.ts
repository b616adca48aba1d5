/**
 * The shared binned store: its bins are GBDT binning's, a tree fitted on a view of it is the tree
 * fitted on the raw matrix, coarser views for max_bins < 255 keep the rows' order, and every worker
 * thread reads the same bytes (the store is shared, not copied) and gets bit-identical trial results.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../../src/core/eval/metrics.ts';
import { FittedModel, fitModel } from '../../../src/core/models/fitted-model.ts';
import { columnByName } from '../../../src/core/data/frame.ts';
import type { Params } from '../../../src/core/models/types.ts';
import { runTrial } from '../../../src/core/automl/trial.ts';
import type { TrialContext, TrialSpec } from '../../../src/core/automl/types.ts';
import { ingestCsv } from '../../../src/core/data/ingest.ts';
import type { Frame } from '../../../src/core/data/frame.ts';
import { binMatrix, fitBinMapper } from '../../../src/core/models/trees/binning.ts';
import { GbdtEstimator } from '../../../src/core/models/gbdt/estimator.ts';
import { ForestEstimator } from '../../../src/core/models/forest/estimator.ts';
import { buildBinnedStore, plainMatrix, storeCovers, storeView } from '../../../src/core/models/trees/binned-store.ts';
import { NodeWorkerPool } from '../../../src/node/worker-pool.ts';
import { encodeTarget } from '../../../src/core/prep/target.ts';
import { scaleCsv } from '../../../bench/scale-table.ts';

const ROWS = 6000;
const { frame } = await ingestCsv(new TextEncoder().encode(scaleCsv(ROWS, 5)));
const target = 'y';
const inputs = frame.columns.map((c) => c.name).filter((n) => n !== target);
const all = Int32Array.from({ length: frame.rows }, (_, i) => i);
const fitRows = all.filter((i) => i % 5 !== 0);
const { y } = encodeTarget(frame, target, 'binary', ['no', 'yes']);

function rowsEvery(k: number, r: number): Int32Array {
  return all.filter((i) => i % k === r);
}

describe('buildBinnedStore', () => {
  const store = buildBinnedStore(frame, inputs, fitRows, 11);

  it('bins every plain input over all frame rows, with GBDT binning thresholds from the fit rows', () => {
    expect(store.rows).toBe(frame.rows);
    expect(store.columns.map((c) => c.name)).toEqual(inputs);
    expect(store.codes.length).toBe(frame.rows * inputs.length);
    expect(store.shared).toBe(true);
    expect(store.codes.buffer).toBeInstanceOf(SharedArrayBuffer);
    // The same codes as binning the raw matrix with a mapper fitted on the fit rows (≤ 200,000: no subsample).
    const X = plainMatrix(frame, store, inputs, all);
    const mapper = fitBinMapper(X, { maxBins: 255, rows: fitRows });
    expect(Array.from(store.codes)).toEqual(Array.from(binMatrix(mapper, X)));
    const cat = store.columns.find((c) => c.kind === 'categorical')!;
    expect(cat.codeToBin).not.toBeNull();
    expect(store.columns.some((c) => c.kind === 'numeric' && c.nBins > 200)).toBe(true);
  });

  it('bins awkward numeric columns exactly as a binary search does (edges hit exactly, heavy ties, infinities, tiny and huge ranges)', () => {
    const n = 20_000;
    const make = (f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
    const odd: Frame = {
      rows: n,
      columns: [
        { name: 'ties', type: 'numeric', storage: 'numeric', values: make((i) => Math.floor(i / 7) % 300) },
        { name: 'inf', type: 'numeric', storage: 'numeric', values: make((i) => (i % 97 === 0 ? Infinity : i % 89 === 0 ? -Infinity : Math.sin(i) * 1e3)) },
        { name: 'tiny', type: 'numeric', storage: 'numeric', values: make((i) => 1 + ((i * 7919) % 1000) * Number.EPSILON) },
        { name: 'huge', type: 'numeric', storage: 'numeric', values: make((i) => (i % 2 ? 1 : -1) * 1e300 * ((i % 1000) / 1000)) },
        { name: 'skew', type: 'numeric', storage: 'numeric', values: make((i) => (i % 11 === 0 ? NaN : Math.exp((i % 4000) / 150))) },
      ],
    };
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const names = odd.columns.map((c) => c.name);
    const s = buildBinnedStore(
      odd,
      names,
      rows.filter((i) => i % 3 !== 0),
      2,
    );
    const X = plainMatrix(odd, s, names, rows);
    const mapper = fitBinMapper(X, { maxBins: 255, rows: rows.filter((i) => i % 3 !== 0) });
    const ref = binMatrix(mapper, X);
    let mismatches = 0;
    for (let i = 0; i < ref.length; i++) if (ref[i] !== s.codes[i]) mismatches++;
    expect(mismatches).toBe(0);
    expect(s.columns[1].thresholds[0]).toBe(-Infinity);
  });

  it('leaves out what it cannot bin: dates, text and identifiers fall back to the pipeline', async () => {
    const { frame: mixed } = await ingestCsv(
      'id,when,note,x,y\n' +
        Array.from(
          { length: 40 },
          (_, i) => `r${i},2024-01-${String((i % 28) + 1).padStart(2, '0')},word ${i} other ${i * 7} thing,${(i * 3) % 7},${i % 2}`,
        ).join('\n'),
    );
    const types = Object.fromEntries(mixed.columns.map((c) => [c.name, c.type]));
    const s = buildBinnedStore(
      mixed,
      ['id', 'when', 'note', 'x'],
      Int32Array.from({ length: 40 }, (_, i) => i),
      1,
    );
    expect(s.columns.map((c) => c.name)).toEqual(['x']);
    expect(types.when).toBe('datetime');
    expect(storeCovers(s, ['x'])).toBe(true);
    expect(storeCovers(s, ['x', 'when'])).toBe(false);
  });
});

describe('fitting trees on a view of the store', () => {
  const store = buildBinnedStore(frame, inputs, fitRows, 11);
  const yFit = Float64Array.from(fitRows, (r) => y[r]);
  const test = rowsEvery(5, 0);

  it('GBDT: fitBinned on the view is fit() on the raw matrix, prediction for prediction', async () => {
    const params = { max_iter: 30, early_stopping: true, validation_fraction: 0.1, n_iter_no_change: 5 };
    const a = new GbdtEstimator('binary', params);
    await a.fit(plainMatrix(frame, store, inputs, fitRows), yFit, 2, { seed: 3 });
    const b = new GbdtEstimator('binary', params);
    // early stopping inside the fit: the validation part is binned with the training part's
    // thresholds in fit(); the view uses the store's, fitted on all fit rows: compare without it.
    const c = new GbdtEstimator('binary', { ...params, early_stopping: false });
    const d = new GbdtEstimator('binary', { ...params, early_stopping: false });
    await c.fit(plainMatrix(frame, store, inputs, fitRows), yFit, 2, { seed: 3 });
    await d.fitBinned(storeView(store, inputs, fitRows), yFit, 2, { seed: 3 });
    const Xtest = plainMatrix(frame, store, inputs, test);
    expect(Array.from(await d.predictProba(Xtest))).toEqual(Array.from(await c.predictProba(Xtest)));
    // With early stopping both fits run and agree closely (thresholds differ by the validation part only).
    await b.fitBinned(storeView(store, inputs, fitRows), yFit, 2, { seed: 3 });
    const pa = await a.predictProba(Xtest);
    const pb = await b.predictProba(Xtest);
    const yTest = Float64Array.from(test, (r) => y[r]);
    expect(Math.abs(rocAuc(yTest, pa, 2) - rocAuc(yTest, pb, 2))).toBeLessThan(0.01);
    expect(b.nIter).toBeGreaterThan(5);
  });

  it('random forest and extra trees: fitBinned on the view is fit() on the raw matrix', async () => {
    for (const family of ['random_forest', 'extra_trees'] as const) {
      const a = new ForestEstimator(family, 'binary', { n_estimators: 8, max_depth: 8 });
      const b = new ForestEstimator(family, 'binary', { n_estimators: 8, max_depth: 8 });
      await a.fit(plainMatrix(frame, store, inputs, fitRows), yFit, 2, { seed: 4 });
      await b.fitBinned(storeView(store, inputs, fitRows), yFit, 2, { seed: 4 });
      const Xtest = plainMatrix(frame, store, inputs, test);
      expect(Array.from(await b.predictProba(Xtest))).toEqual(Array.from(await a.predictProba(Xtest)));
    }
  });

  it('a coarser view (max_bins 63) keeps the order of every column, with at most 63 bins', () => {
    const fine = storeView(store, inputs, fitRows);
    const coarse = storeView(store, inputs, fitRows, 63);
    expect(coarse.mapper.maxBins).toBe(63);
    for (let f = 0; f < inputs.length; f++) {
      const nb = coarse.mapper.nBins[f];
      expect(nb).toBeLessThanOrEqual(63);
      const fineMissing = fine.mapper.nBins[f];
      const fineToCoarse = new Map<number, number>();
      for (let i = 0; i < fitRows.length; i++) {
        const a = fine.codes[f * fitRows.length + i];
        const b = coarse.codes[f * fitRows.length + i];
        // A function of the fine bin; missing stays missing.
        if (fineToCoarse.has(a)) expect(fineToCoarse.get(a)).toBe(b);
        fineToCoarse.set(a, b);
        expect(a === fineMissing).toBe(b === nb);
      }
      if (!coarse.mapper.isCategorical[f]) {
        // Numeric: monotone in the fine bin, thresholds a subset of the fine ones, bins roughly balanced.
        const pairs = [...fineToCoarse].filter(([a]) => a !== fineMissing).sort((p, q) => p[0] - q[0]);
        for (let k = 1; k < pairs.length; k++) expect(pairs[k][1]).toBeGreaterThanOrEqual(pairs[k - 1][1]);
        const thr = new Set(fine.mapper.thresholds[f]);
        for (const t of coarse.mapper.thresholds[f]) expect(thr.has(t)).toBe(true);
        if (fine.mapper.nBins[f] > 200) expect(nb).toBeGreaterThan(40);
      }
    }
  });
});

describe('the final model on the store', () => {
  it('fitModel fits tree members on a view in the pipeline codes: the bundle-ready model predicts as the matrix-fitted one', async () => {
    // Training rows without c1's first level: the pipeline's code book lacks it, so its codes are
    // shifted against the frame's; the store path must translate, or splits would send the wrong levels left.
    const c1 = columnByName(frame, 'c1');
    if (c1.storage !== 'categorical') throw new Error('c1 is categorical');
    const trainRows = fitRows.filter((r) => c1.codes[r] !== 0);
    const store = buildBinnedStore(frame, inputs, trainRows, 11);
    const test = rowsEvery(5, 0).filter((r) => c1.codes[r] !== 0);
    for (const family of ['gbdt', 'random_forest'] as const) {
      const params: Params = family === 'gbdt' ? { max_iter: 25, early_stopping: false } : { n_estimators: 6, max_depth: 10 };
      const opts = { target, family, params, features: inputs, trainRows, seed: 5, task: 'binary' as const, classes: ['no', 'yes'] };
      const plain = await fitModel(frame, opts);
      const viaStore = await fitModel(frame, { ...opts, binned: store });
      expect(viaStore.pipeline.codeBooks.get('c1')).toEqual(c1.levels.slice(1));
      const a = await plain.predict(frame, test);
      const b = await viaStore.predict(frame, test);
      const yTest = Float64Array.from(test, (r) => y[r]);
      expect(rocAuc(yTest, b.proba!, 2)).toBeCloseTo(rocAuc(yTest, a.proba!, 2), 3);
      let same = 0;
      for (let i = 0; i < a.proba!.length; i++) if (Math.abs(a.proba![i] - b.proba![i]) < 1e-9) same++;
      expect(same / a.proba!.length).toBeGreaterThan(0.95);
      // And it serialises and reloads like any model.
      const again = FittedModel.fromJSON(JSON.parse(JSON.stringify(viaStore.toJSON())));
      expect(Array.from((await again.predict(frame, test)).proba!)).toEqual(Array.from(b.proba!));
    }
  });
});

describe('one store, every worker', () => {
  it('posts as shared memory: each worker thread reads bit-identical bytes, and a write is seen by all', async () => {
    const store = buildBinnedStore(frame, inputs, fitRows, 11);
    const digest = createHash('sha256').update(store.codes).digest('hex');
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { createHash } = require('node:crypto');
      const codes = workerData.store.codes;
      parentPort.postMessage({ shared: codes.buffer instanceof SharedArrayBuffer, digest: createHash('sha256').update(codes).digest('hex'), first: codes[0] });
    `;
    const replies = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<{ shared: boolean; digest: string }>((resolve, reject) => {
            const w = new Worker(code, { eval: true, workerData: { store } });
            w.once('message', (m) => {
              void w.terminate();
              resolve(m);
            });
            w.once('error', reject);
          }),
      ),
    );
    for (const r of replies) expect(r).toMatchObject({ shared: true, digest });
  });

  it('a tree trial scores the same in-process and in each worker of the Node pool', async () => {
    const train = rowsEvery(3, 1);
    const valid = rowsEvery(3, 0);
    const ctx: TrialContext = {
      frame: frame as Frame,
      target,
      task: 'binary',
      nClasses: 2,
      classes: ['no', 'yes'],
      metric: 'roc_auc',
      y,
      searchRows: all,
      folds: [{ train, valid }],
      oofRows: valid,
      binned: buildBinnedStore(frame, inputs, all, 11),
    };
    const spec: TrialSpec = {
      id: 1,
      family: 'gbdt',
      params: { max_iter: 40, max_bins: 127, learning_rate: 0.1 },
      featureSet: 'all',
      features: inputs,
      fidelity: 1,
      rung: 0,
      origin: 'portfolio',
      computeImportance: false,
      seed: 9,
      deadline: Date.now() + 120_000,
    };
    const local = await runTrial(ctx, spec);
    expect(local.status).toBe('ok');
    expect(local.score).toBeGreaterThan(0.7);
    const pool = new NodeWorkerPool(2);
    try {
      await pool.init(ctx);
      const remote = await Promise.all([pool.run(spec), pool.run({ ...spec, id: 2 })]);
      for (const r of remote) {
        expect(r.score).toBe(local.score);
        expect(Array.from(r.oof!)).toEqual(Array.from(local.oof!));
      }
    } finally {
      await pool.close();
    }
  }, 60_000);
});
