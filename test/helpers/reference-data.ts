/**
 * A shared dataset prepared like shared/peers/peer_bench.py does it, on the same rows: the manifest's
 * id columns dropped, rows without a target left out, and scikit-learn's own 80/20 split
 * (random_state 0, stratified for classification) reproduced by sklearn-split.ts — so a model's test
 * score here is directly comparable with the figure published in shared/peers/results.md.
 */
import { cellText, columnByName, type Frame } from '../../src/core/data/frame.ts';
import type { Task } from '../../src/core/models/types.ts';
import { rowsWithTarget, targetClasses } from '../../src/core/prep/target.ts';
import { readCsvFile } from '../../src/node/read-csv.ts';
import { datasetPath, manifest } from './datasets.ts';
import { sklearnTestRows } from './sklearn-split.ts';

export interface ReferenceData {
  frame: Frame;
  target: string;
  task: Task;
  classes: string[];
  features: string[];
  trainRows: Int32Array;
  testRows: Int32Array;
}

export async function referenceData(name: string): Promise<ReferenceData> {
  const entry = manifest().find((d) => d.name === name);
  if (!entry) throw new Error(`no dataset ${name} in the manifest`);
  const { frame } = await readCsvFile(datasetPath(name));
  const labelled = rowsWithTarget(frame, entry.target);
  const target = columnByName(frame, entry.target);
  const classification = entry.task !== 'regression';
  const labels = classification ? Array.from(labelled, (r) => cellText(target, r)) : null;
  const testLocal = sklearnTestRows(labelled.length, 0.2, 0, labels);
  const inTest = new Uint8Array(labelled.length);
  for (const i of testLocal) inTest[i] = 1;
  const trainRows = Int32Array.from(labelled.filter((_, i) => !inTest[i]));
  const testRows = Int32Array.from(testLocal, (i) => labelled[i]);
  const drop = new Set([entry.target, ...(entry.id_columns ?? [])]);
  return {
    frame,
    target: entry.target,
    task: entry.task,
    classes: classification ? targetClasses(frame, entry.target, labelled) : [],
    features: frame.columns.map((c) => c.name).filter((n) => !drop.has(n)),
    trainRows,
    testRows,
  };
}
