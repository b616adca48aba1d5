/**
 * A trial predicts its validation rows block by block (trial.ts predictRows), so that no fold's
 * feature matrix is built whole on a large table. Rows are predicted independently: the blocks must
 * give exactly the predictions of one matrix, for a pipeline family and a store-reading tree family.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { predictLayout, predictRows } from '../../../src/core/automl/trial.ts';
import { ingestCsv } from '../../../src/core/data/ingest.ts';
import { buildBinnedStore, plainMatrix, storeView } from '../../../src/core/models/trees/binned-store.ts';
import { getFamily } from '../../../src/core/models/registry.ts';
import { fitPipeline } from '../../../src/core/prep/pipeline.ts';
import { encodeTarget, targetClasses } from '../../../src/core/prep/target.ts';
import { datasetPath } from '../../helpers/datasets.ts';

const text = fs.readFileSync(datasetPath('adult'), 'utf8').split('\n').slice(0, 3001).join('\n');
const { frame } = await ingestCsv(new TextEncoder().encode(text));
const target = 'income';
const classes = targetClasses(frame, target);
const { y } = encodeTarget(frame, target, 'binary', classes);
const inputs = frame.columns.map((c) => c.name).filter((n) => n !== target);
const all = Int32Array.from({ length: frame.rows }, (_, i) => i);
const train = all.filter((i) => i % 4 !== 0);
const valid = all.filter((i) => i % 4 === 0);
const ytrain = Float64Array.from(train, (i) => y[i]);

describe('predictRows', () => {
  for (const family of ['linear', 'naive_bayes'] as const) {
    it(`${family} through its pipeline: blocks of 97 rows give the predictions of one matrix`, async () => {
      const spec = getFamily(family);
      const pipeline = fitPipeline(frame, { target, features: inputs, needs: spec.needs, trainRows: train, seed: 1, task: 'binary', classes, encoded: y });
      const estimator = spec.create('binary', spec.portfolio[0]);
      await estimator.fit(pipeline.transformTrain(frame), ytrain, 2, { seed: 1 });
      const made: number[] = [];
      const matrixOf = (rows: Int32Array) => {
        made.push(rows.length);
        return pipeline.transform(frame, rows);
      };
      const whole = await predictLayout(estimator, pipeline.transform(frame, valid), true);
      const blocks = await predictRows(estimator, matrixOf, valid, true, 97);
      expect(Math.max(...made)).toBe(97);
      expect(made.reduce((a, b) => a + b, 0)).toBe(valid.length);
      expect(Array.from(blocks)).toEqual(Array.from(whole));
      estimator.dispose?.();
    });
  }

  it('GBDT on the binned store: blocks give the predictions of one matrix, and a short list is one block', async () => {
    const store = buildBinnedStore(frame, inputs, train, 3);
    const spec = getFamily('gbdt');
    const estimator = spec.create('binary', { ...spec.portfolio[0], max_iter: 30 });
    await estimator.fitBinned!(storeView(store, inputs, train, 255), ytrain, 2, { seed: 1 });
    const matrixOf = (rows: Int32Array) => plainMatrix(frame, store, inputs, rows);
    const whole = await predictLayout(estimator, matrixOf(valid), true);
    expect(Array.from(await predictRows(estimator, matrixOf, valid, true, 128))).toEqual(Array.from(whole));
    expect(Array.from(await predictRows(estimator, matrixOf, valid, true))).toEqual(Array.from(whole));
    expect(new Set(whole).size).toBeGreaterThan(20);
  });
});
