/**
 * Intervals, sets and the drift check in the bundle: predict.mjs, imported from an unzipped bundle of a
 * real experiment (calibrated on its out-of-fold predictions), returns the very intervals and sets the
 * engine computes for the test split; another coverage can be asked for; the drift monitor flags a
 * shifted batch and keeps a window.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../../src/core/automl/experiment.ts';
import type { ProjectDefinition } from '../../../src/core/automl/types.ts';
import { FittedModel } from '../../../src/core/models/fitted-model.ts';
import type { ConformalQuantile } from '../../../src/core/eval/conformal.ts';
import { InProcessRunner } from '../../../src/core/automl/runner.ts';
import { intervals, predictionSets, setRule } from '../../../src/core/eval/conformal.ts';
import { frameRows } from '../../../src/core/export/rows.ts';
import { shiftedRows } from '../../../src/core/drift/shifts.ts';
import { bundleInputFromExperiment } from '../../../src/core/export/from-experiment.ts';
import { buildBundle } from '../../../src/core/export/bundle.ts';
import { predictRuntimeSource } from '../../../src/node/predict-runtime.ts';
import { sha256Hex } from '../../../src/core/export/sha256.ts';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { dataset, tempDir, unzipTo } from './fixtures.ts';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

interface Pred {
  value?: number;
  prediction?: number;
  interval?: [number, number];
  label?: string;
  probabilities?: Record<string, number>;
  set?: string[];
}
interface Mod {
  loadModel(): Promise<{
    predict(rows: unknown[], opts?: { coverage?: number }): Pred[];
    driftMonitor(window?: number): {
      add(rows: unknown[], preds?: unknown[]): void;
      report(): { level: string; verdict: string; columns: { name: string; verdict: string }[] };
    };
  }>;
}

async function experimentBundle(name: string, families: ('gbdt' | 'linear' | 'naive_bayes')[], extra: Partial<ProjectDefinition> = {}) {
  const data = await dataset(name);
  const result = await runExperiment(
    data.frame,
    { target: data.target, exclude: data.exclude, maxTrials: 3, families, seed: 2, ...extra },
    { runner: new InProcessRunner() },
  );
  const zip = await buildBundle(
    bundleInputFromExperiment(result, undefined, {
      frame: data.frame,
      dataset: { name: `${name}.csv`, sha256: sha256Hex(data.bytes) },
      predictRuntime: await predictRuntimeSource(),
      appVersion: '0.1.0',
      created: '2025-01-02T03:04:05.000Z',
    }),
  );
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  unzipTo(zip, dir);
  const mod = (await import(pathToFileURL(path.join(dir, 'predict.mjs')).href)) as Mod;
  return { data, result, model: await mod.loadModel(), card: fs.readFileSync(path.join(dir, 'README.md'), 'utf8') };
}

describe('conformal intervals and sets in the bundle', () => {
  it('regression: predict.mjs returns the engine’s intervals exactly, at the default and another coverage', async () => {
    const { data, result, model, card } = await experimentBundle('insurance', ['gbdt', 'linear']);
    // The model card states the guarantee, its one assumption and what the test split showed.
    expect(card).toContain('## Trust in deployment');
    expect(card).toContain('the true charges lies inside its interval at least 90.0 % of the time');
    expect(card).toContain('new rows are exchangeable with the training rows');
    expect(card).toContain(`covered **${(100 * result.conformal!.achieved).toFixed(1)} %**`);
    expect(card).toContain('### Drift check');
    const conformal = result.model.trust.conformal;
    if (conformal?.kind !== 'interval') throw new Error('expected interval calibration');
    expect(result.conformal?.coverage).toBe(0.9);
    const rows = frameRows(data.frame, result.model.inputColumns, result.testRows);
    const preds = model.predict(rows);
    const engine = intervals(conformal, result.testPrediction.values);
    preds.forEach((p, i) => {
      expect(p.prediction).toBe(p.value);
      expect(p.interval).toEqual([engine.lower[i], engine.upper[i]]);
    });
    // The achieved coverage the engine reports is what the bundle's intervals give on the test rows.
    const y = Array.from(result.testRows, (r) => result.y[r]);
    const hit = preds.filter((p, i) => p.interval![0] <= y[i] && y[i] <= p.interval![1]).length / y.length;
    expect(hit).toBeCloseTo(result.conformal!.achieved, 12);
    const at80 = model.predict(rows.slice(0, 20), { coverage: 0.8 });
    const engine80 = intervals(conformal, result.testPrediction.values.slice(0, 20), 0.8);
    at80.forEach((p, i) => expect(p.interval).toEqual([engine80.lower[i], engine80.upper[i]]));
    expect(at80[0].interval![1] - at80[0].interval![0]).toBeLessThan(preds[0].interval![1] - preds[0].interval![0]);
    expect(() => model.predict(rows.slice(0, 1), { coverage: 1.5 })).toThrow(/coverage/);
  });

  it('conformalised quantile regression: two quantile GBDTs travel in the bundle and predict.mjs gives the engine’s intervals', async () => {
    const { data, result, model } = await experimentBundle('abalone', ['gbdt'], { conformalMethod: 'cqr', maxTrials: 2 });
    const conformal = result.model.trust.conformal as ConformalQuantile;
    expect(conformal.method).toBe('cqr');
    expect(conformal.alphas.map((a) => +a.toFixed(12))).toEqual([0.05, 0.95]);
    expect(result.conformal?.method).toBe('cqr');
    const rows = frameRows(data.frame, result.model.inputColumns, result.testRows);
    const lo = (await FittedModel.fromJSON(conformal.lower).predict(data.frame, result.testRows)).values;
    const hi = (await FittedModel.fromJSON(conformal.upper).predict(data.frame, result.testRows)).values;
    const engine = intervals(conformal, result.testPrediction.values, 0.9, { lo, hi });
    const preds = model.predict(rows);
    preds.forEach((p, i) => expect(p.interval).toEqual([engine.lower[i], engine.upper[i]]));
    // Widths differ by row (the quantile models read the inputs), and the test coverage is what the engine reports.
    expect(new Set(preds.slice(0, 50).map((p) => (p.interval![1] - p.interval![0]).toFixed(6))).size).toBeGreaterThan(40);
    const y = Array.from(result.testRows, (r) => result.y[r]);
    expect(preds.filter((p, i) => p.interval![0] <= y[i] && y[i] <= p.interval![1]).length / y.length).toBeCloseTo(result.conformal!.achieved, 12);
    expect(result.conformal!.achieved).toBeGreaterThan(0.86);
  });

  it('multiclass: every set holds the classes at or above the cutoff (ties broken by the raw probabilities), most probable first, at any coverage', async () => {
    const { data, result, model } = await experimentBundle('iris', ['naive_bayes'], { maxTrials: 1 });
    const conformal = result.model.trust.conformal;
    if (conformal?.kind !== 'set') throw new Error('expected set calibration');
    expect(conformal.table.ties?.length).toBe(conformal.table.scores.length);
    const rows = frameRows(data.frame, result.model.inputColumns);
    const raw = (await result.model.predictUncalibrated(data.frame)).proba!;
    for (const coverage of [0.5, 0.9, 0.99]) {
      const preds = model.predict(rows, { coverage });
      const proba = Float64Array.from(preds.flatMap((p) => result.project.classes.map((c) => p.probabilities![c])));
      const member = predictionSets(conformal, proba, 3, coverage, raw);
      preds.forEach((p, i) => {
        const expected = result.project.classes.filter((_, k) => member[i * 3 + k] === 1);
        expect([...p.set!].sort()).toEqual([...expected].sort());
        const ps = p.set!.map((c) => p.probabilities![c]);
        for (let j = 1; j < ps.length; j++) expect(ps[j]).toBeLessThanOrEqual(ps[j - 1]);
      });
    }
  });

  it('tied calibrated probabilities: predict.mjs breaks the ties as the engine does, by the raw probabilities', async () => {
    // Isotonic calibration on penguins gives most rows the same top probability (the top step, clipped):
    // the calibration scores tie, and only the raw probabilities tell the rows apart.
    const { data, result, model } = await experimentBundle('penguins', ['linear'], { maxTrials: 2, calibration: 'isotonic' });
    const conformal = result.model.trust.conformal;
    if (conformal?.kind !== 'set') throw new Error('expected set calibration');
    const { scores, ties } = conformal.table;
    expect(scores.filter((v) => v === scores[0]).length).toBeGreaterThan(scores.length / 2);
    expect(new Set(ties).size).toBeGreaterThan(scores.length / 2);
    const classes = result.project.classes;
    const rows = frameRows(data.frame, result.model.inputColumns);
    const engine = await result.model.predictRows(data.frame);
    const raw = (await result.model.predictUncalibrated(data.frame)).proba!;
    const K = classes.length;
    for (const coverage of [0.8, 0.9]) {
      const member = predictionSets(conformal, engine.proba!, K, coverage, raw);
      const preds = model.predict(rows, { coverage });
      preds.forEach((p, i) => expect([...p.set!].sort()).toEqual(classes.filter((_, k) => member[i * K + k] === 1).sort()));
      // The tie at the threshold splits: of the rows whose most probable class scores exactly q̂, some
      // have it in their set and some not.
      const { q } = setRule(conformal, coverage);
      const tied = preds.filter((p) => 1 - p.probabilities![p.label!] === q);
      expect(tied.filter((p) => p.set!.includes(p.label!)).length).toBeGreaterThan(0);
      expect(tied.filter((p) => !p.set!.includes(p.label!)).length).toBeGreaterThan(0);
    }
  });

  it('classification: predict.mjs returns the engine’s sets, and the drift monitor flags a shifted batch', async () => {
    const { data, result, model } = await experimentBundle('titanic', ['gbdt']);
    const conformal = result.model.trust.conformal;
    if (conformal?.kind !== 'set') throw new Error('expected set calibration');
    const rows = frameRows(data.frame, result.model.inputColumns, result.testRows);
    const preds = model.predict(rows);
    const classes = result.project.classes;
    const raw = (await result.model.predictUncalibrated(data.frame, result.testRows)).proba!;
    const member = predictionSets(conformal, result.testPrediction.proba!, classes.length, conformal.coverage, raw);
    preds.forEach((p, i) => {
      const expected = classes.filter((_, k) => member[i * classes.length + k] === 1);
      expect([...p.set!].sort()).toEqual(expected.sort());
    });
    // Sets are read-only, and rows with the same set share one array (no allocation per row).
    expect(Object.isFrozen(preds[0].set)).toBe(true);
    const same = preds.filter((p) => p.set!.join() === preds[0].set!.join());
    expect(same.every((p) => p.set === preds[0].set)).toBe(true);
    const y = Array.from(result.testRows, (r) => classes[result.y[r]]);
    expect(preds.filter((p, i) => p.set!.includes(y[i])).length / y.length).toBeCloseTo(result.conformal!.achieved, 12);

    // Drift: the test split as it is is stable; shifted Age and Fare (and a new Embarked level) are flagged.
    const stable = model.driftMonitor();
    stable.add(rows, preds);
    expect(stable.report().columns.filter((c) => c.verdict !== 'stable')).toEqual([]);
    const inputs = result.model.inputColumns;
    const shiftable = ['Age', 'Fare', 'Embarked'].filter((c) => inputs.includes(c));
    const shifted = shiftedRows(data.frame, result.testRows, {
      meanShift: shiftable.filter((c) => c !== 'Embarked'),
      sd: 1.5,
      newCategory: shiftable.filter((c) => c === 'Embarked'),
      newShare: 0.3,
    });
    const shiftedInput = frameRows(shifted, inputs);
    const monitor = model.driftMonitor(2);
    monitor.add(shiftedInput, model.predict(shiftedInput));
    const report = monitor.report();
    expect(
      report.columns
        .filter((c) => c.verdict !== 'stable')
        .map((c) => c.name)
        .sort(),
    ).toEqual([...shiftable].sort());
    expect(report.level).toBe('major');
    // A window of 2 batches: two stable batches push the shifted one out.
    monitor.add(rows, preds);
    monitor.add(rows, preds);
    expect(monitor.report().columns.filter((c) => c.verdict !== 'stable')).toEqual([]);
  });
});
