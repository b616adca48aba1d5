import { describe, expect, it } from 'vitest';
import { assess } from '../../../src/core/automl/assess.ts';
import { columnValues, rebuildFrame } from '../../../src/core/data/column-values.ts';
import { runExperiment } from '../../../src/core/automl/experiment.ts';
import { permutationImportance } from '../../../src/core/explain/permutation-importance.ts';
import { FinalModel } from '../../../src/core/automl/model.ts';
import { InProcessRunner } from '../../../src/core/automl/runner.ts';
import type { Column, Frame } from '../../../src/core/data/frame.ts';
import { bundleFiles } from '../../../src/core/export/bundle.ts';
import { championFromModel } from '../../../src/core/export/champion.ts';
import { bundleInputFromExperiment } from '../../../src/core/export/from-experiment.ts';
import { loadModelSync } from '../../../src/core/export/runtime/load.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { explainFrameRow } from '../../../src/workers/row-explanation.ts';
import { assessRun, BACKGROUND_ROWS, importanceRepeats, sampleRows } from '../../../src/workers/run-assessment.ts';
import { summarizeRun } from '../../../src/workers/run-summary.ts';

/** label = [a + b > 0] with 10 % noise; `today` looks at `a` only; `colour` is noise. */
function frame(n: number, seed = 1): Frame {
  const rng = new Rng(seed);
  const a = Float64Array.from({ length: n }, () => rng.normal());
  const b = Float64Array.from({ length: n }, () => rng.normal());
  const colour = Int32Array.from({ length: n }, () => rng.int(3));
  const label = new Int32Array(n);
  const today = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const clean = a[i] + b[i] > 0 ? 1 : 0;
    label[i] = rng.next() < 0.1 ? 1 - clean : clean;
    today[i] = a[i] > 0 ? 1 : 0;
  }
  const cat = (name: string, codes: Int32Array, levels: string[]): Column => ({ name, type: 'categorical', storage: 'categorical', codes, levels });
  return {
    rows: n,
    columns: [
      { name: 'a', type: 'numeric', storage: 'numeric', values: a },
      { name: 'b', type: 'numeric', storage: 'numeric', values: b },
      cat('colour', colour, ['red', 'green', 'blue']),
      cat('today', today, ['no', 'yes']),
      cat('label', label, ['no', 'yes']),
    ],
  };
}

describe('sampling and time budget of the explanations', () => {
  it('samples rows evenly strided, in their order, all of them when few', () => {
    expect([...sampleRows(Int32Array.from([9, 8, 7, 6, 5]), 10)]).toEqual([9, 8, 7, 6, 5]);
    expect([...sampleRows(Int32Array.from([9, 8, 7, 6, 5]), 3)]).toEqual([9, 8, 6]);
    expect([
      ...sampleRows(
        Int32Array.from({ length: 12 }, (_, i) => 100 + i),
        4,
      ),
    ]).toEqual([100, 103, 106, 109]);
  });

  it('uses 5 shuffles when they fit the budget, fewer when not, none when even one does not', () => {
    expect(importanceRepeats(0.01, 10, 15)).toBe(5); // 51 predictions × 0.01 s
    expect(importanceRepeats(0.25, 10, 15)).toBe(5); // 12.75 s
    expect(importanceRepeats(0.4, 10, 15)).toBe(3); // 5 repeats: 20.4 s; 3: 12.4 s
    expect(importanceRepeats(1, 10, 15)).toBe(1); // 11 s
    expect(importanceRepeats(2, 10, 15)).toBe(0); // 22 s even with one shuffle
  });
});

describe('the run summary with the assessment', () => {
  it('compares with the existing-process column, explains, and stays structured-clone data', async () => {
    const f = frame(1200);
    const result = await runExperiment(
      f,
      { target: 'label', baselineColumn: 'today', successThreshold: 0.8, maxTrials: 2, families: ['gbdt'] },
      { runner: new InProcessRunner() },
    );
    const assessed = await assessRun(f, result);
    const a = assessed.assessment;
    expect(assessed.note).toBeUndefined();
    expect(a.ab.baseline).toBe('the existing process ("today")');
    expect(a.ab.verdict).toBe('better');
    expect(a.success?.met).toBe(true);
    expect(a.importanceRows).toBe(result.testRows.length);
    expect(a.importanceRepeats).toBe(5);
    expect(a.columnTypes).toMatchObject({ a: 'numeric', b: 'numeric' });
    expect(
      a
        .importance!.slice(0, 2)
        .map((i) => i.feature)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(a.partialDependence!.map((d) => d.feature)).toEqual(a.importance!.slice(0, 3).map((i) => i.feature));

    const summary = await summarizeRun(f, result, assessed);
    // The permutation importance shown is the assessment's (not computed twice), the gain chart beside it.
    expect(summary.importance?.kind).toBe('permutation');
    expect(summary.importance?.items[0]).toEqual({ feature: a.importance![0].feature, value: a.importance![0].mean, std: a.importance![0].std });
    expect(summary.importance?.repeats).toBe(5);
    expect(summary.gainImportance?.kind).toBe('gain');
    // Rows to explain: the test split in order, and a background sample of the search rows.
    expect([...summary.explainRows!.test]).toEqual([...result.testRows]);
    const search = new Set(result.searchRows);
    expect(summary.explainRows!.background.length).toBe(BACKGROUND_ROWS);
    expect([...summary.explainRows!.background].every((r) => search.has(r))).toBe(true);
    // What the worker posts and IndexedDB stores must survive a structured clone unchanged.
    expect(structuredClone(summary)).toEqual(summary);
    result.model.dispose();
  }, 60_000);

  it('compares with a champion model from an exported bundle, as the page hands it to the worker', async () => {
    const f = frame(1000, 3);
    const first = await runExperiment(f, { target: 'label', maxTrials: 1, families: ['naive_bayes'], seed: 5 }, { runner: new InProcessRunner() });
    const { modelFile } = bundleFiles(
      bundleInputFromExperiment(first, undefined, {
        frame: f,
        dataset: { name: 'label.csv', sha256: '0'.repeat(64) },
        predictRuntime: 'export {};',
        appVersion: '0',
      }),
    );
    // The page stores model.json in IndexedDB and posts it to the worker: both are structured clones.
    const champion = loadModelSync(structuredClone(modelFile), { verify: false });
    const second = await runExperiment(f, { target: 'label', maxTrials: 1, families: ['gbdt'], seed: 5 }, { runner: new InProcessRunner() });
    const { assessment } = await assessRun(f, second, { champion: championFromModel(champion, second.project, 'the champion model (x.zip)') });
    expect(assessment.ab.baseline).toBe('the champion model (x.zip)');
    // Same seed, same test split: the champion scores what the first run scored on it.
    expect(assessment.ab.baselineValue).toBeCloseTo(first.test.roc_auc, 12);
    expect(assessment.ab.n).toBe(second.testRows.length);
    first.model.dispose();
    second.model.dispose();
  }, 60_000);

  it('runs permutation importance on the rows and repeats it is given (the time-limited path)', async () => {
    const f = frame(1000, 2);
    const r = await runExperiment(f, { target: 'label', maxTrials: 1, families: ['linear'] }, { runner: new InProcessRunner() });
    const rows = sampleRows(r.testRows, 60);
    const a = await assess({
      frame: f,
      project: r.project,
      model: r.model,
      y: r.y,
      searchRows: r.searchRows,
      testRows: r.testRows,
      testPrediction: r.testPrediction,
      explain: true,
      explainRows: rows,
      importanceRepeats: 2,
    });
    const inputs = r.model.inputColumns;
    const cols = inputs.map((name) => f.columns.find((c) => c.name === name)!);
    const direct = await permutationImportance({
      predict: (columns) => r.model.predictRows(rebuildFrame(cols, columns)),
      columns: cols.map((c) => columnValues(c, rows)),
      names: inputs,
      y: Float64Array.from(rows, (row) => r.y[row]),
      metric: r.project.metric,
      task: r.project.task,
      nClasses: r.project.nClasses,
      repeats: 2,
      seed: r.project.seed,
    });
    expect(a.importance).toEqual(direct.map((i) => ({ feature: i.feature, mean: i.mean, std: i.std })));
    // The comparison itself still uses every test row.
    expect(a.ab.n).toBe(r.testRows.length);
    r.model.dispose();
  }, 60_000);

  it('explains a test row from the model and from its saved JSON alike (the reload path)', async () => {
    const f = frame(800, 4);
    const result = await runExperiment(f, { target: 'label', maxTrials: 1, families: ['gbdt'] }, { runner: new InProcessRunner() });
    const row = result.testRows[3];
    const background = sampleRows(result.searchRows, BACKGROUND_ROWS);
    const e = await explainFrameRow(result.model, f, row, background, 0);
    expect(e.method).toBe('tree-shap');
    expect(e.output).toBe('log-odds of "yes"');
    expect(e.base + e.contributions.reduce((s, c) => s + c.value, 0)).toBeCloseTo(e.prediction, 9);
    const colour = f.columns[2] as Extract<Column, { storage: 'categorical' }>;
    expect(e.values.colour).toBe(colour.levels[colour.codes[row]]);
    expect(e.values.a).toBe(String((f.columns[0] as Extract<Column, { storage: 'numeric' }>).values[row]));
    const label = f.columns[4] as Extract<Column, { storage: 'categorical' }>;
    expect(e.actual).toBe(label.levels[label.codes[row]]);
    const p = await result.model.predictRows(f, [row]);
    expect(e.predicted).toBe(['no', 'yes'][p.values[0]]);
    expect(e.probability).toBeCloseTo(p.proba![p.values[0]], 12);
    // Binary log-odds: the logistic of the explained prediction is the model's probability of "yes".
    expect(1 / (1 + Math.exp(-e.prediction))).toBeCloseTo(p.proba![1], 9);

    const reloaded = FinalModel.fromJSON(JSON.parse(JSON.stringify(result.model.toJSON())));
    const again = await explainFrameRow(reloaded, f, row, background, 0);
    expect(again.contributions).toEqual(e.contributions);
    expect(again.base).toBe(e.base);
    result.model.dispose();
    reloaded.dispose();
  }, 60_000);
});
