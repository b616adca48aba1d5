/**
 * Batch scoring in the Ship step streams (src/app/stream-score.ts): a file is read and scored in
 * batches of rows, written out batch by batch. On a real file the scored CSV, the counts and the
 * failed rows (numbered in the file) are exactly what scoring the whole file at once gives.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingColumnsMessage, prepareBundleWith } from '../../../src/app/bundle-export.ts';
import { scoreCsvStream } from '../../../src/app/stream-score.ts';
import { runExperiment } from '../../../src/core/automl/experiment.ts';
import { InProcessRunner } from '../../../src/core/automl/runner.ts';
import { ingestCsv } from '../../../src/core/data/ingest.ts';
import { predictionsCsv } from '../../../src/core/export/csv-out.ts';
import { cellText } from '../../../src/core/data/frame.ts';
import { frameRows } from '../../../src/core/export/rows.ts';
import { datasetPath } from '../../helpers/datasets.ts';
import { chunked } from '../data/helpers.ts';

async function titanicModel() {
  const bytes = new Uint8Array(fs.readFileSync(datasetPath('titanic')));
  const { frame } = await ingestCsv(bytes);
  const result = await runExperiment(frame, { target: 'Survived', maxTrials: 1, families: ['naive_bayes'], seed: 3 }, { runner: new InProcessRunner() });
  const { summarizeRun } = await import('../../../src/workers/run-summary.ts');
  const summary = await summarizeRun(frame, result);
  const { model } = await prepareBundleWith(
    { summary, model: result.model.toJSON(), dataset: { fileName: 'titanic.csv', file: new Blob([bytes]), frame } },
    { predictRuntime: 'export {};', appVersion: '0' },
  );
  return { model, bytes };
}

describe('streamed batch scoring', () => {
  it('scores titanic in batches of 100 rows exactly as the whole file at once, bad rows numbered in the file', async () => {
    const { model, bytes } = await titanicModel();
    // The file three times over (2,673 rows): 27 batches, the last of 73 rows.
    const lines = new TextDecoder().decode(bytes).split('\n');
    const text = [lines[0], ...Array.from({ length: 3 }, () => lines.slice(1).filter((l) => l !== '')).flat()].join('\n') + '\n';
    const file = new TextEncoder().encode(text);

    const batches: number[] = [];
    const streamed = await scoreCsvStream(model, chunked(file, 64 * 1024), 'more.csv', { rowsPerBatch: 100, onRows: (n) => batches.push(n) });
    expect(streamed.rows).toBe(3 * 891);
    expect(batches.length).toBe(27);
    for (let i = 1; i < batches.length - 1; i++) expect(batches[i] - batches[i - 1]).toBe(100);

    const whole = await ingestCsv(file);
    const { predictions, errors } = model.score(frameRows(whole.frame, model.inputColumns));
    const expectedCsv = predictionsCsv({
      header: whole.frame.columns.map((c) => c.name),
      cells: (r) => whole.frame.columns.map((c) => cellText(c, r)),
      rows: whole.frame.rows,
      predictions,
      task: model.task,
      classes: model.classes,
      uncertainty: model.target,
    });
    expect(await streamed.blob.text()).toBe(expectedCsv);
    // The drift check covers every scored row of every batch; the same file thrice is no drift.
    expect(streamed.drift).toMatchObject({ rows: streamed.scored, level: 'stable' });
    expect(streamed.hasTarget).toBe(true);
    expect(streamed.scored).toBe(predictions.filter((p) => p !== null).length);
    expect(streamed.failed.map((f) => f.row)).toEqual([...new Set(errors.map((e) => e.row))]);
    expect(streamed.preview).toHaveLength(20);
  }, 60_000);

  it('rows that cannot be scored are listed with their row in the file, whatever batch they fall in', async () => {
    const { model } = await titanicModel();
    const numeric = model.inputColumns.find((c) => ['Age', 'Fare', 'Pclass', 'SibSp', 'Parch'].includes(c));
    expect(numeric).toBeDefined();
    const header = model.inputColumns.join(',');
    const good = model.inputColumns.map((c) => (c === 'Sex' ? 'male' : c === 'Embarked' ? 'S' : '3')).join(',');
    const bad = model.inputColumns.map((c) => (c === numeric ? 'abc' : c === 'Sex' ? 'male' : c === 'Embarked' ? 'S' : '3')).join(',');
    // 30 rows, one bad in each batch of 10: the whole column of a batch is then "mostly numbers", and
    // the bad cell is refused as text by the model, named with its row in the file.
    const rows = Array.from({ length: 30 }, (_, i) => (i % 10 === 4 ? bad : good));
    const out = await scoreCsvStream(model, `${header}\n${rows.join('\n')}\n`, 'bad.csv', { rowsPerBatch: 10 });
    expect(out.rows).toBe(30);
    expect(out.failed.map((f) => f.row)).toEqual([5, 15, 25]);
    expect(out.failed[2].message).toBe(`row 25, column "${numeric}": expected a number, got "abc"`);
    expect(out.scored).toBe(27);
    const csv = (await out.blob.text()).split('\r\n');
    expect(csv).toHaveLength(32);
    // prediction, proba_0, proba_1 and Survived_set empty.
    expect(csv[25].endsWith(',,,,')).toBe(true);
  }, 60_000);

  it('a file without a column the model needs is refused with its name, before anything is scored', async () => {
    const { model } = await titanicModel();
    await expect(scoreCsvStream(model, 'a,b\n1,2\n', 'x.csv')).rejects.toThrow(missingColumnsMessage(model, { rows: 1, columns: [] }, 'x.csv')!.slice(0, 20));
  }, 60_000);
});
