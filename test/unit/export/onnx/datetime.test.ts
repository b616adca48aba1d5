/**
 * Datetime columns in model.onnx (double epoch milliseconds in, year / month / day of week / hour /
 * epoch seconds inside):
 * - the parts equal prep/datetime.ts's datePart for dates across four centuries, before and after
 *   1970, at every hour, and NaN for a missing date;
 * - a whole model: insurance.csv's rows with a visit date column added (some cells empty), read as a
 *   CSV so the date is typed by ingest, fitted as GBDT and as a linear model (parts imputed, with
 *   missing indicators, and scaled), predicts in ONNX Runtime what Sieve's runtime predicts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { fitFinalModel } from '../../../../src/core/automl/model.ts';
import { resolveProject } from '../../../../src/core/automl/project.ts';
import { trainTestSplit } from '../../../../src/core/eval/split.ts';
import { datetimePart } from '../../../../src/core/export/onnx/datetime-ops.ts';
import { GraphBuilder } from '../../../../src/core/export/onnx/graph.ts';
import { DT, encodeModel } from '../../../../src/core/export/onnx/proto.ts';
import type { Params } from '../../../../src/core/models/types.ts';
import { DATE_PARTS, datePart } from '../../../../src/core/prep/datetime.ts';
import { rowsWithTarget } from '../../../../src/core/prep/target.ts';
import { readCsvFile } from '../../../../src/node/read-csv.ts';
import { datasetPath } from '../../../helpers/datasets.ts';
import type { Dataset } from '../fixtures.ts';
import { compare, modelFile, onnxOf, runBoth, session, type SliceFit } from './helpers.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-onnx-dates-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('datetime parts in ONNX', () => {
  it('equal datePart from 1850 to 2250, at every hour, NaN when missing', async () => {
    const g = new GraphBuilder();
    const ms = g.input('ms', DT.DOUBLE, ['N', 1]);
    for (const part of DATE_PARTS) g.output(datetimePart(g, ms, part), part, DT.DOUBLE, ['N', 1]);
    const bytes = encodeModel({
      graph: g.build('dates', ''),
      opsets: [{ domain: '', version: 17 }],
      producer: { name: 'Sieve', version: '0' },
      doc: '',
      metadata: {},
    });
    const values: number[] = [NaN, 0, -1, 86_399_999, -86_400_000, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(1900, 2, 1), Date.UTC(2100, 1, 28, 12)];
    // Every 7 days and 5 hours over four centuries (dates and hours at every offset), plus odd milliseconds.
    for (let t = Date.UTC(1850, 0, 1); t < Date.UTC(2250, 0, 1); t += 7 * 86_400_000 + 5 * 3_600_000 + 1234) values.push(t);
    const sess = await session(bytes);
    const out = await sess.run({ ms: new ort.Tensor('float64', Float64Array.from(values), [values.length, 1]) });
    for (const part of DATE_PARTS) {
      const got = out[part].data as Float64Array;
      const bad = values.findIndex((v, i) => !Object.is(got[i], datePart(v, part)));
      const where = bad < 0 ? '' : `${part} of ${values[bad]} ms: ${got[bad]} vs ${datePart(values[bad], part)}`;
      expect(bad, where).toBe(-1);
    }
    await sess.release();
  });
});

async function insuranceWithDates(): Promise<Dataset> {
  const text = fs.readFileSync(datasetPath('insurance'), 'utf8').trim().split(/\r?\n/);
  const start = Date.UTC(2018, 0, 1, 8);
  const lines = [`${text[0]},visit`];
  for (let i = 1; i < text.length; i++) {
    // A visit every 31 hours and 7 minutes; every 13th cell empty.
    const visit = i % 13 === 0 ? '' : new Date(start + i * (31 * 3_600_000 + 7 * 60_000)).toISOString().slice(0, 19);
    lines.push(`${text[i]},${visit}`);
  }
  const file = path.join(dir, 'insurance-visits.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const { frame, profile } = await readCsvFile(file);
  return { name: 'insurance-visits', frame, profile, bytes: new Uint8Array(fs.readFileSync(file)), target: 'charges', exclude: [] };
}

describe('a model with a datetime column', () => {
  it.each(['gbdt', 'linear'] as const)('%s on insurance with visit dates', async (family) => {
    const data = await insuranceWithDates();
    expect(data.frame.columns.find((c) => c.name === 'visit')?.type).toBe('datetime');
    const { project } = resolveProject(data.frame, { target: 'charges', seed: 1 });
    const rows = rowsWithTarget(data.frame, 'charges');
    const split = trainTestSplit(new Float64Array(rows.length), { testSize: 0.2, seed: 1, stratify: false });
    const trainRows = Int32Array.from(split.train.slice(0, 400), (i) => rows[i]);
    const testRows = Int32Array.from(split.test, (i) => rows[i]);
    const params: Params = family === 'gbdt' ? { max_iter: 15 } : {};
    const model = await fitFinalModel(data.frame, {
      target: 'charges',
      task: project.task,
      classes: project.classes,
      trainRows,
      seed: 1,
      members: [{ family, params, weight: 1, features: project.features }],
    });
    const f: SliceFit = { data, project, model, trainRows, testRows };
    const file = modelFile(f);
    const features = file.model.members[0].model.pipeline.features.map((x) => x.name);
    expect(features.filter((n) => n.startsWith('visit.'))).toEqual(
      family === 'gbdt'
        ? ['visit.year', 'visit.month', 'visit.dayofweek', 'visit.hour', 'visit.epoch']
        : expect.arrayContaining(['visit.year', 'visit.hour', 'visit.epoch', 'visit.hour__missing']),
    );
    const result = onnxOf(file);
    if (!result.ok) throw new Error(result.reason);
    expect(result.onnx.inputs.find((i) => i.name === 'visit')?.type).toBe('double');
    const { sieve, onnx } = await runBoth(f, file, result.onnx.bytes);
    const parity = compare(file, sieve, onnx);
    expect(parity.rows).toBe(testRows.length);
    expect(parity.outside, `max ${parity.maxRel}`).toBe(0);
  });
});
