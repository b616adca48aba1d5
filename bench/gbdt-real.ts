/**
 * GBDT (and random forest) fit time versus scikit-learn on the real adult and california_housing
 * CSVs (../shared/datasets), read with Sieve's CSV reader and prepared by the pipeline the family
 * asks for (native categorical codes, missing values kept), then fitted single-threaded.
 *
 *   npx tsx bench/gbdt-real.ts [--only gbdt|forest] [--repeat 3] [--rounds 2] [--dataset adult|california_housing]
 *
 * The timed part is the estimator's fit (binning + training), as scikit-learn's time is its fit
 * without pandas' CSV parsing and encoding. See gbdt-compare.ts for the protocol.
 */
import fs from 'node:fs';
import path from 'node:path';
import { trainTestSplit } from '../src/core/eval/split.ts';
import { gbdtFamily } from '../src/core/models/gbdt/index.ts';
import { fitPipeline } from '../src/core/prep/pipeline.ts';
import { encodeTarget, rowsWithTarget, targetClasses } from '../src/core/prep/target.ts';
import type { Task } from '../src/core/models/types.ts';
import { readCsvFile } from '../src/node/read-csv.ts';
import { argValue, benchForest, benchGbdt, sharedDir, type PreparedData } from './gbdt-compare.ts';

interface ManifestEntry {
  name: string;
  file: string;
  target: string;
  task: Task;
  id_columns?: string[];
}

async function prepare(entry: ManifestEntry): Promise<PreparedData> {
  const csv = path.join(sharedDir, 'datasets', entry.file);
  const { frame } = await readCsvFile(csv);
  const rows = rowsWithTarget(frame, entry.target);
  const classes = entry.task === 'regression' ? [] : targetClasses(frame, entry.target, rows);
  const yAll = encodeTarget(frame, entry.target, entry.task, classes, rows).y;
  const s = trainTestSplit(yAll, { testSize: 0.2, seed: 0, stratify: entry.task !== 'regression' });
  const train = Int32Array.from(s.train, (i) => rows[i]);
  const test = Int32Array.from(s.test, (i) => rows[i]);
  const features = frame.columns.map((c) => c.name).filter((n) => n !== entry.target && !(entry.id_columns ?? []).includes(n));
  const pipeline = fitPipeline(frame, { target: entry.target, features, needs: gbdtFamily.needs, trainRows: train, seed: 0, task: entry.task, classes });
  return {
    name: entry.name,
    task: entry.task,
    nClasses: pipeline.nClasses,
    Xtr: pipeline.transformTrain(frame),
    ytr: pipeline.targetVector(frame, train).y,
    Xte: pipeline.transform(frame, test),
    yte: pipeline.targetVector(frame, test).y,
    csv,
    target: entry.target,
  };
}

async function main(): Promise<void> {
  const only = argValue('--only', 'all');
  const repeat = Number(argValue('--repeat', '3'));
  const rounds = Number(argValue('--rounds', '2'));
  const which = argValue('--dataset', 'all');
  const manifest = JSON.parse(fs.readFileSync(path.join(sharedDir, 'datasets', 'manifest.json'), 'utf8')) as ManifestEntry[];
  for (const name of ['adult', 'california_housing']) {
    if (which !== 'all' && which !== name) continue;
    const entry = manifest.find((e) => e.name === name);
    if (!entry) throw new Error(`${name} is not in the datasets manifest`);
    const d = await prepare(entry);
    console.log(`\n${name}: features ${d.Xtr.features.map((f) => `${f.name}${f.kind === 'categorical' ? `(cat ${f.nLevels})` : ''}`).join(', ')}`);
    if (only === 'all' || only === 'gbdt') await benchGbdt(d, repeat, rounds);
    if (only === 'all' || only === 'forest') await benchForest(d, repeat);
  }
}

await main();
