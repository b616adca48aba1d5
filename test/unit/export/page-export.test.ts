/**
 * The page's export path (src/app/bundle-export.ts), in Node: from what the page stores after a run
 * (the worker's RunSummary and the model's JSON Blob) to a bundle whose model predicts what the run's
 * model predicts; reading a bundle back from a Blob; and the scored-CSV view with its failed rows.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bundleFileName,
  describeBackend,
  missingColumnsMessage,
  prepareBundleWith,
  readBundleBlob,
  scoredCsv,
  winnerHoldsTrainingRows,
} from '../../../src/app/bundle-export.ts';
import { runExperiment } from '../../../src/core/automl/experiment.ts';
import { InProcessRunner } from '../../../src/core/automl/runner.ts';
import { escapeMarkdown } from '../../../src/core/export/card-doc.ts';
import { BundleError, readBundle } from '../../../src/core/export/read-bundle.ts';
import { frameRows } from '../../../src/core/export/rows.ts';
import { predictRuntimeSource } from '../../../src/node/predict-runtime.ts';
import { assessRun } from '../../../src/workers/run-assessment.ts';
import type { RunSummary } from '../../../src/app/run-results.ts';
import { summarizeRun } from '../../../src/workers/run-summary.ts';
import { cat, frame as makeFrame, num } from '../../helpers/frames.ts';
import { useWasmBackend } from '../models/tf-setup.ts';
import { dataset } from './fixtures.ts';

useWasmBackend();

describe('the page export path', () => {
  it('bundles a run from its stored summary and model Blob, and the bundle predicts like the run', async () => {
    const data = await dataset('iris');
    const result = await runExperiment(
      data.frame,
      { target: 'species', maxTrials: 3, families: ['naive_bayes', 'gbdt'], seed: 1 },
      { runner: new InProcessRunner() },
    );
    const summary = await summarizeRun(data.frame, result, await assessRun(data.frame, result));
    const modelBlob = new Blob([JSON.stringify(result.model.toJSON())], { type: 'application/json' });
    const prepared = await prepareBundleWith(
      {
        summary,
        model: modelBlob,
        dataset: { fileName: 'iris.csv', file: new Blob([data.bytes as Uint8Array<ArrayBuffer>]), frame: data.frame, profile: data.profile },
        backend: { workers: [{ backend: 'wasm', reason: '', detail: 'SIMD, 2 threads' }], refit: { backend: 'cpu', reason: '', detail: 'plain JavaScript' } },
      },
      { predictRuntime: await predictRuntimeSource(), appVersion: '9.9.9' },
    );
    expect(prepared.fileName).toBe('iris-sieve-bundle.zip');
    const bundle = readBundle(new Uint8Array(await prepared.blob.arrayBuffer()));
    expect(bundle.manifest.app.version).toBe('9.9.9');
    expect(bundle.card.markdown).toContain('| compute backend | browser, 1 trial worker: wasm (SIMD, 2 threads); refit: cpu (plain JavaScript) |');
    expect(bundle.card.markdown).toContain(`${summary.trials} trials`);
    // The worker's assessment reaches the card: the A/B verdict and the test metric's CI.
    expect(summary.assessment).toBeDefined();
    expect(bundle.card.markdown).toContain(`### Against the existing process\n\n${escapeMarkdown(summary.assessment!.ab.message, true)}`);
    expect(bundle.card.markdown).toMatch(/\| \*\*log loss\*\* \| \d\.\d{4} \| \d\.\d{4} to \d\.\d{4} \|/);
    const expected = await result.model.predictRows(data.frame, result.testRows);
    const raw = prepared.model.predictRaw(frameRows(data.frame, prepared.model.inputColumns, result.testRows));
    Array.from(expected.proba!).forEach((p, i) => expect(Math.abs(p - raw.proba![i])).toBeLessThan(1e-12));

    const loaded = await readBundleBlob(prepared.blob);
    expect(loaded.model.classes).toEqual(result.project.classes);
    await expect(readBundleBlob(prepared.blob, 100)).rejects.toMatchObject({ kind: 'too-large' });
    await expect(readBundleBlob(new Blob(['not a zip']))).rejects.toBeInstanceOf(BundleError);
  });

  it('shows a scored file with its failed rows, and names what a file lacks', async () => {
    const data = await dataset('iris');
    const result = await runExperiment(data.frame, { target: 'species', maxTrials: 1, families: ['naive_bayes'], seed: 2 }, { runner: new InProcessRunner() });
    const summary = await summarizeRun(data.frame, result);
    const { model } = await prepareBundleWith(
      { summary, model: result.model.toJSON(), dataset: { fileName: 'iris.csv', file: new Blob([fs.readFileSync(__filename)]), frame: data.frame } },
      { predictRuntime: 'export {};', appVersion: '0' },
    );
    const f = makeFrame(
      num('sepal_length', [5.1, 6.2]),
      num('sepal_width', [3.5, 2.9]),
      cat('petal_length', ['1.4', 'long']),
      num('petal_width', [0.2, 1.3]),
      cat('note', ['=cmd', 'ok']),
    );
    const { predictions, errors } = model.score(frameRows(f, model.inputColumns));
    const view = scoredCsv('new.csv', f, model, predictions, errors);
    expect(view).toMatchObject({ rows: 2, scored: 1, failed: [{ row: 2, message: 'row 2, column "petal_length": expected a number, got "long"' }] });
    expect(view.predictionHeader).toEqual(['prediction', ...model.classes.map((c) => `proba_${c}`), 'species_set']);
    expect(view.preview[1].prediction.every((c) => c === '')).toBe(true);
    const csv = view.toCsv().split('\r\n');
    expect(csv[1]).toMatch(/^5\.1,3\.5,1\.4,0\.2,'=cmd,/);
    expect(missingColumnsMessage(model, makeFrame(num('sepal_length', [1])), 'x.csv')).toBe(
      'x.csv lacks columns “sepal_width”, “petal_length”, “petal_width”, which the model needs.',
    );
  });

  it('names bundle files safely and describes backends', () => {
    expect(bundleFileName('titanic.csv')).toBe('titanic-sieve-bundle.zip');
    expect(bundleFileName('Sales 2024 / Q1 (net).tsv')).toBe('Sales_2024_Q1_net_-sieve-bundle.zip');
    expect(bundleFileName('.csv')).toBe('model-sieve-bundle.zip');
    expect(bundleFileName('no-extension')).toBe('no-extension-sieve-bundle.zip');
    expect(describeBackend(null)).toBeUndefined();
  });

  it("writes synthetic example rows unless the Ship step's box asks for real ones", async () => {
    const data = await dataset('iris');
    const result = await runExperiment(data.frame, { target: 'species', maxTrials: 1, families: ['naive_bayes'], seed: 3 }, { runner: new InProcessRunner() });
    const summary = await summarizeRun(data.frame, result);
    const run = { summary, model: result.model.toJSON(), dataset: { fileName: 'iris.csv', file: new Blob(['x']), frame: data.frame } };
    const build = { predictRuntime: 'export {};', appVersion: '0' };
    const example = async (realExamples?: boolean) => {
      const { blob } = await prepareBundleWith({ ...run, realExamples }, build);
      const b = readBundle(new Uint8Array(await blob.arrayBuffer()));
      return { csv: new TextDecoder().decode(b.files['example.csv']).trim().split('\r\n'), card: b.card.markdown };
    };
    const inputs = result.model.toJSON().members[0].model.pipeline.inputColumns;
    const firstRows = frameRows(data.frame, inputs, [0, 1, 2, 3, 4]).map((r) => inputs.map((n) => String(r[n])).join(','));
    const synthetic = await example();
    expect(synthetic.csv.slice(1)).toHaveLength(5);
    for (const line of synthetic.csv.slice(1)) expect(firstRows).not.toContain(line);
    expect(synthetic.card).toContain('**synthetic** example data');
    const real = await example(true);
    expect(real.csv.slice(1)).toEqual(firstRows);
    expect(real.card).toContain('the exporter chose to include real rows');
  });

  it('knows when the winner carries its training rows (kNN alone or in an ensemble)', () => {
    const entry = (id: number, family: string) => ({ id, family }) as RunSummary['leaderboard'][number];
    const leaderboard = [entry(1, 'gbdt'), entry(2, 'knn'), entry(3, 'linear')];
    expect(winnerHoldsTrainingRows({ winner: entry(2, 'knn'), leaderboard })).toBe(true);
    expect(winnerHoldsTrainingRows({ winner: entry(1, 'gbdt'), leaderboard })).toBe(false);
    const ensemble = (ids: number[]) => ({ ...entry(9, 'ensemble'), members: ids.map((id) => ({ id, weight: 1 / ids.length })) });
    expect(winnerHoldsTrainingRows({ winner: ensemble([1, 2]), leaderboard })).toBe(true);
    expect(winnerHoldsTrainingRows({ winner: ensemble([1, 3]), leaderboard })).toBe(false);
  });
});
